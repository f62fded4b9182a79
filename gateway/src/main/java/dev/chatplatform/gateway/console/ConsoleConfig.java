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
 * Serves the console when {@code gateway.console.enabled} (the default): its files under {@code /assets/} (revalidated
 * on every load, so a new build shows at once), the WebJars under {@code /webjars/} (versioned paths, cached for a
 * year), and {@code index.html} for every other console path.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "gateway.console.enabled", matchIfMissing = true)
class ConsoleConfig implements WebFluxConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**")
                .addResourceLocations("classpath:/console/")
                .setCacheControl(CacheControl.noCache());
        registry.addResourceHandler("/webjars/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }

    @Bean
    ConsolePage consolePage(ConsoleProperties console, OidcProperties oidc, JsonMapper json) {
        return ConsolePage.load(console, oidc.issuerUri(), json);
    }

    @Bean
    RouterFunction<ServerResponse> consolePages(ConsolePage page) {
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
