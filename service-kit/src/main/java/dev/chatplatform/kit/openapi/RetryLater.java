package dev.chatplatform.kit.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an operation that can be refused before it starts for a reason that passes: 429 (a limit of the account,
 * or of the provider behind it) or 503 (something it needs is unavailable), with {@code Retry-After} when waiting
 * helps. Its OpenAPI document then lists both answers ({@code TooManyRequests}, {@code Unavailable}), so a client
 * generated from it knows to back off and retry.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RetryLater {
}
