package dev.chatplatform.gateway.edge;

import dev.chatplatform.kit.config.PlatformProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class EdgeConfig {

    @Bean
    ErrorResponses errorResponses(JsonMapper json) {
        return new ErrorResponses(json);
    }

    @Bean
    RequestIdFilter requestIdFilter() {
        return new RequestIdFilter();
    }

    @Bean
    BodySizeLimitFilter bodySizeLimitFilter(PlatformProperties platform, ErrorResponses errors) {
        return new BodySizeLimitFilter(platform.web().maxBodyBytes(), errors);
    }

    @Bean
    GatewayErrorHandler gatewayErrorHandler(PlatformProperties platform, ErrorResponses errors) {
        return new GatewayErrorHandler(errors, platform.web().maxBodyBytes());
    }
}
