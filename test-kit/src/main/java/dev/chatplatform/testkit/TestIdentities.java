package dev.chatplatform.testkit;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import org.springframework.http.HttpHeaders;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Identity tokens for tests that call a service directly, minted as the gateway mints them: for one audience.
 * The short forms ({@link #token(String, String...)}, {@link #chatCaller}, {@link #admin}) are for the service
 * under test, whose name the build passes as the system property {@value #AUDIENCE_PROPERTY} (the module's
 * artifact id, which is the service's {@code spring.application.name}); {@link #tokenFor} names another.
 */
public final class TestIdentities {

    /** The identity secret every test context uses (test-only, never deployed). */
    public static final String SECRET = "test-only-identity-secret-0123456789abcdef";
    /** The system property naming the service under test. */
    public static final String AUDIENCE_PROPERTY = "platform.test.audience";

    private static final Duration TTL = Duration.ofMinutes(5);

    private TestIdentities() {
    }

    /** A token of {@code accountId} with {@code scopes} for the service under test. */
    public static String token(String accountId, String... scopes) {
        return tokenFor(serviceUnderTest(), accountId, scopes);
    }

    /** A token of {@code accountId} with {@code scopes} for {@code audience}, as the gateway would mint it. */
    public static String tokenFor(String audience, String accountId, String... scopes) {
        return tokenFor(audience, TTL, new CallerIdentity(accountId, "k_test", Set.of(scopes)));
    }

    /** A token for {@code audience} that lives {@code ttl}. */
    public static String tokenFor(String audience, Duration ttl, CallerIdentity caller) {
        return new IdentityTokens(SECRET, ttl, Clock.systemUTC(), "gateway").mint(caller, audience);
    }

    /** What {@code audience} makes of {@code token}: its caller, or empty when it would refuse it. */
    public static Optional<CallerIdentity> verifyAs(String audience, String token) {
        return new IdentityTokens(SECRET, TTL, Clock.systemUTC(), audience).verify(token);
    }

    /** Headers carrying a chat-scoped identity for {@code accountId}. */
    public static HttpHeaders chatCaller(String accountId) {
        return headers(token(accountId, CallerIdentity.CHAT));
    }

    /** A person's own credential (an OIDC user, the demo key): chat and account. */
    public static HttpHeaders user(String accountId) {
        return headers(token(accountId, CallerIdentity.CHAT, CallerIdentity.ACCOUNT));
    }

    public static HttpHeaders analyst(String accountId) {
        return headers(token(accountId, CallerIdentity.ANALYST));
    }

    public static HttpHeaders admin(String accountId) {
        return headers(token(accountId, CallerIdentity.ADMIN));
    }

    /** Headers carrying {@code token} as the gateway would. */
    public static HttpHeaders headers(String token) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(IdentityTokens.HEADER, token);
        return headers;
    }

    private static String serviceUnderTest() {
        String audience = System.getProperty(AUDIENCE_PROPERTY);
        if (audience == null || audience.isBlank()) {
            throw new IllegalStateException("System property " + AUDIENCE_PROPERTY + " is not set: run the tests "
                    + "through Maven (the root pom sets it to the module's name) or set it to the service under test");
        }
        return audience;
    }
}
