package dev.chatplatform.kit.web;

import dev.chatplatform.kit.config.PlatformProperties;
import dev.chatplatform.kit.identity.IdentityTokens;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * The shared servlet edge: {@link EdgeFilter}, {@link ApiErrorHandler}, {@code CallerIdentity} parameters, the
 * {@link ScopeInterceptor} that enforces every endpoint's declared scopes, text checks on every request string and
 * JSON from Tomcat's own refusals.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration", afterName = {
        "dev.chatplatform.kit.config.KitIdentityAutoConfiguration",
        "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class WebMvcEdgeAutoConfiguration {

    @Bean
    FilterRegistrationBean<EdgeFilter> edgeFilter(IdentityTokens tokens, PlatformProperties properties, JsonMapper json) {
        var registration = new FilterRegistrationBean<>(new EdgeFilter(tokens, properties.identity().publicPaths(),
                properties.web().maxBodyBytes(), json));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    ApiErrorHandler apiErrorHandler() {
        return new ApiErrorHandler();
    }

    @Bean
    ServletErrorController servletErrorController() {
        return new ServletErrorController();
    }

    @Bean
    WebMvcConfigurer callerIdentityResolver() {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerIdentityArgumentResolver());
            }
        };
    }

    @Bean
    WebMvcConfigurer scopeInterceptor() {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new ScopeInterceptor());
            }
        };
    }

    /**
     * Request text no store can keep is refused where it comes in: bodies by the JSON converter (the service's
     * own mapper plus {@link TextCheckingModule}; responses are written exactly as before), path variables and
     * query parameters by {@link ParameterTextChecks}. Kafka and HTTP clients keep the plain mapper.
     */
    @Bean
    WebMvcConfigurer textChecks(JsonMapper json) {
        return new WebMvcConfigurer() {
            @Override
            public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
                builder.withJsonConverter(new JacksonJsonHttpMessageConverter(
                        json.rebuild().addModule(new TextCheckingModule()).build()));
            }

            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new ParameterTextChecks());
            }
        };
    }

    /** Tomcat's own refusals (a malformed path, an encoded slash) answer JSON: {@link JsonErrorReportValve}. */
    @Bean
    @ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
    TomcatContextCustomizer jsonErrorReportValve() {
        return context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        };
    }
}
