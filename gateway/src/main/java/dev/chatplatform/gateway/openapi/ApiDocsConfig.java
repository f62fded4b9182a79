package dev.chatplatform.gateway.openapi;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.BodyInserter;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * Serves the platform's OpenAPI document at {@value #DOCUMENT} and Swagger UI at {@value #UI} (its page, its
 * start script and the swagger-ui WebJar's files), with {@code gateway.api-docs.enabled} (the default). Both are
 * public: the document describes the public API only, and the page calls the API with the key a person types in.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "gateway.api-docs.enabled", matchIfMissing = true)
class ApiDocsConfig implements WebFluxConfigurer {

    static final String DOCUMENT = "/v1/openapi.json";
    static final String UI = "/docs";

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(UI + "/swagger-ui/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion() + "/")
                .setCacheControl(CacheControl.noCache());
        registry.addResourceHandler(UI + "/assets/**")
                .addResourceLocations("classpath:/openapi/docs/")
                .setCacheControl(CacheControl.noCache());
    }

    @Bean
    RouterFunction<ServerResponse> apiDocs() {
        byte[] document = read("openapi/openapi.json");
        byte[] page = read("openapi/docs/index.html");
        return RouterFunctions
                .route(GET(DOCUMENT), request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .cacheControl(CacheControl.noCache())
                        .header("Access-Control-Allow-Origin", "*") // a public file: any page may load it
                        .body(bytes(document)))
                .andRoute(GET(UI).or(GET(UI + "/")), request -> ServerResponse.ok().contentType(HTML)
                        .cacheControl(CacheControl.noCache())
                        // swagger-ui needs inline styles and data: images; no inline script runs
                        .header("Content-Security-Policy", "default-src 'self'; script-src 'self'; "
                                + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
                                + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'")
                        .header("X-Content-Type-Options", "nosniff")
                        .header("Referrer-Policy", "same-origin")
                        .body(bytes(page)));
    }

    private static BodyInserter<Mono<DataBuffer>, ReactiveHttpOutputMessage> bytes(byte[] body) {
        return BodyInserters.fromDataBuffers(Mono.fromSupplier(() -> DefaultDataBufferFactory.sharedInstance.wrap(body)));
    }

    private static byte[] read(String resource) {
        try (InputStream in = new ClassPathResource(resource).getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway jar lacks " + resource, e);
        }
    }

    /** The swagger-ui WebJar's version, from its Maven metadata (its files live under that version). */
    private static String swaggerUiVersion() {
        Properties pom = new Properties();
        try (InputStream in = new ClassPathResource("META-INF/maven/org.webjars/swagger-ui/pom.properties").getInputStream()) {
            pom.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("the swagger-ui WebJar is missing", e);
        }
        return pom.getProperty("version");
    }
}
