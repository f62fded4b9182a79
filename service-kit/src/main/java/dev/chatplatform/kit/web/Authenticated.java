package dev.chatplatform.kit.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The endpoint needs a verified identity and no particular scope, not even one: for sign-up, which an OIDC user
 * who has no account yet reaches with an identity that holds no scope at all. Anything that reads or changes an
 * account's data declares {@link RequiresScope} instead.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Authenticated {
}
