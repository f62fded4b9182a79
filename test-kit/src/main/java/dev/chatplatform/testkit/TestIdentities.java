package dev.chatplatform.testkit;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import org.springframework.http.HttpHeaders;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/** Gateway-asserted identities for tests that call a service directly, as the gateway would. */
public final class TestIdentities {

    /** The identity secret every test context uses (test-only, never deployed). */
    public static final String SECRET = "test-only-identity-secret-0123456789abcdef";

    private static final IdentityTokens TOKENS = new IdentityTokens(SECRET, Duration.ofMinutes(5), Clock.systemUTC());

    private TestIdentities() {
    }

    public static String token(String accountId, String... scopes) {
        return TOKENS.sign(new CallerIdentity(accountId, "k_test", Set.of(scopes)));
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
}
