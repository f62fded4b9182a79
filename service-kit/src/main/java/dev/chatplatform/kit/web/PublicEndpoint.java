package dev.chatplatform.kit.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint is served without a platform identity. Its path must also be in {@code
 * platform.identity.public-paths}, which lets such requests past {@link EdgeFilter} (the endpoint-scope test checks
 * that the two agree).
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PublicEndpoint {

    /** Why no identity is needed, e.g. "Stripe signs its calls". */
    String value();
}
