/**
 * The platform's conventions in every service's OpenAPI document, in one place: the bearer API key scheme, each
 * operation's security requirement and scopes from its {@code @RequiresScope} / {@code @Authenticated} /
 * {@code @PublicEndpoint} declaration, and OpenAI's error shape as the {@code ApiError} component every error
 * response refers to. Active only where springdoc is on the classpath (the services' tests, which generate and
 * check the committed documents under {@code docs/openapi}).
 */
package dev.chatplatform.kit.openapi;
