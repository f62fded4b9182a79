package dev.chatplatform.gateway.console;

import dev.chatplatform.gateway.oidc.OidcProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;

/**
 * Serves the console when {@code gateway.console.enabled} (the default): its files under
 * {@code /assets/<version>/}, the version a digest of their contents (see {@link ConsolePage}), cached for a year;
 * the same files under plain {@code /assets/}, revalidated on every load, for whatever names them without a
 * version; the WebJars under {@code /webjars/} (versioned paths, cached for a year); and {@code index.html} for
 * every other console path.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "gateway.console.enabled", matchIfMissing = true)
class ConsoleConfig implements WebFluxConfigurer {

    private static final CacheControl FOR_A_YEAR = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();

    private final ConsolePage page;

    ConsoleConfig(ConsoleProperties console, OidcProperties oidc, JsonMapper json) {
        this.page = ConsolePage.load(console, oidc.issuerUri(), json);
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/" + page.assetsVersion() + "/**")
                .addResourceLocations("classpath:/console/")
                .setCacheControl(FOR_A_YEAR);
        registry.addResourceHandler("/assets/**")
                .addResourceLocations("classpath:/console/")
                .setCacheControl(CacheControl.noCache());
        registry.addResourceHandler("/webjars/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .setCacheControl(FOR_A_YEAR);
    }

    @Bean
    RouterFunction<ServerResponse> consolePages() {
        RequestPredicate isPage = request -> ConsolePaths.isConsole(request.exchange().getRequest())
                && !ConsolePaths.isAsset(request.path());
        return RouterFunctions.route(isPage, request -> ServerResponse.ok()
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", page.policy())
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .body(request.method() == HttpMethod.HEAD ? BodyInserters.empty()
                        : BodyInserters.fromDataBuffers(Mono.fromSupplier(
                                () -> DefaultDataBufferFactory.sharedInstance.wrap(page.html())))));
    }
}
