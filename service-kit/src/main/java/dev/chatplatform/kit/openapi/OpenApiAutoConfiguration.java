package dev.chatplatform.kit.openapi;

import dev.chatplatform.kit.identity.CallerIdentity;
import io.swagger.v3.oas.models.media.JsonSchema;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springdoc.core.filters.GlobalOpenApiMethodFilter;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Registers the platform's springdoc conventions in every MVC service that has springdoc: the caller's identity
 * is no parameter (the gateway asserts it), a JSON tree parameter or body is any JSON, Spring Boot's error page is
 * no operation, and {@link EndpointAccessOperations} and {@link PlatformDocument} apply.
 */
@AutoConfiguration
@ConditionalOnClass(GlobalOperationCustomizer.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class OpenApiAutoConfiguration {

    static {
        SpringDocUtils.getConfig()
                .addRequestWrapperToIgnore(CallerIdentity.class)
                .replaceWithSchema(tools.jackson.databind.JsonNode.class,
                        new JsonSchema().description("Any JSON value."));
    }

    @Bean
    GlobalOperationCustomizer endpointAccessOperations(Environment environment) {
        return new EndpointAccessOperations(environment.getProperty("spring.application.name", "service"));
    }

    @Bean
    GlobalOpenApiCustomizer platformDocument(Environment environment) {
        return new PlatformDocument(environment.getProperty("spring.application.name", "service"));
    }

    @Bean
    GlobalOpenApiMethodFilter errorPagesAreNoOperations() {
        return method -> !ErrorController.class.isAssignableFrom(method.getDeclaringClass());
    }
}
