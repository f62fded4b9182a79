package dev.chatplatform.kit.web;

import dev.chatplatform.kit.identity.Scope;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scopes an endpoint needs: a caller holding <em>any one</em> of them (or {@code admin}, which implies every
 * scope) gets in; any other verified caller gets 403 {@code insufficient_scope} naming them, before the body is
 * read. On a controller class it covers every handler method that declares nothing itself.
 *
 * <p>Every handler declares its access in exactly one of three ways: this, {@link Authenticated} or {@link
 * PublicEndpoint}. A handler with none is refused (500) and fails its service's endpoint-scope test.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface RequiresScope {

    /** Any one of these suffices. */
    Scope[] value();
}
