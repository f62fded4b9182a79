package dev.chatplatform.analytics.dashboard;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Duration;

/**
 * Serves the dashboard's scripts and styles from {@code classpath:/dashboard/}, and the ECharts WebJar (the
 * console's chart library, same version) under the dashboard's own path: through the gateway only
 * {@code /api/v1/analytics/**} reaches this service, and the page loads nothing from another origin.
 */
@Configuration(proxyBeanMethods = false)
class DashboardConfig implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(DashboardController.PATH + "assets/**")
                .addResourceLocations("classpath:/dashboard/")
                .setCacheControl(CacheControl.maxAge(Duration.ofMinutes(5)));
        // versioned paths (lib/echarts/<version>/dist/...): a new version is a new URL
        registry.addResourceHandler(DashboardController.PATH + "lib/echarts/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/echarts/")
                .setCacheControl(CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable());
    }
}
