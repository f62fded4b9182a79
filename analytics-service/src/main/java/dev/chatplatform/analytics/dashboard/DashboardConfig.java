package dev.chatplatform.analytics.dashboard;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Duration;

/** Serves the dashboard's scripts and styles from {@code classpath:/dashboard/}. */
@Configuration(proxyBeanMethods = false)
class DashboardConfig implements WebMvcConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler(DashboardController.PATH + "assets/**")
                .addResourceLocations("classpath:/dashboard/")
                .setCacheControl(CacheControl.maxAge(Duration.ofMinutes(5)));
    }
}
