package dev.chatplatform.chat.provider;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * Where provider-service is and how long to wait for it.
 *
 * @param url             base URL of provider-service ({@code PROVIDER_SERVICE_URL})
 * @param connectTimeout  how long to wait for a TCP connection
 * @param responseTimeout how long to wait for the response headers (a non-stream answer comes with them)
 */
@Validated
@ConfigurationProperties("chat.provider")
public record ProviderProperties(
        @NotNull @DefaultValue("http://localhost:8082") URI url,
        @NotNull @DefaultValue("2s") Duration connectTimeout,
        @NotNull @DefaultValue("120s") Duration responseTimeout) {
}
