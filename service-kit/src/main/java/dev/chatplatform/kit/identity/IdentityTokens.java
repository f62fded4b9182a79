package dev.chatplatform.kit.identity;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Mints and verifies the identity a call inside the platform carries:
 * {@code base64url(json claims) "." base64url(HMAC-SHA256(secret, first part))}, with the claims
 * {@code sub} (account), {@code kid} (API key), {@code scp} (scopes), {@code aud} (the one service the token is
 * for), {@code act} (the service that minted it: the gateway, or a service calling another on the caller's behalf)
 * and {@code exp}.
 * <p>
 * Each token is minted right before its call, for that call's target, and lives {@code ttl} (seconds): a service
 * accepts only tokens whose {@code aud} is its own name, so a token seen by one service (or in its logs) is worth
 * nothing at another, and an expired one nothing at all. The secret ({@code PLATFORM_IDENTITY_SECRET}) is shared
 * by the gateway and the services and by nobody else; see service-kit's README for what that does not protect.
 */
public class IdentityTokens {

    /** The header internal calls carry the token in; the gateway strips any value a client sends. */
    public static final String HEADER = "X-Platform-Identity";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;
    private final String self;
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * @param self this service's name ({@code spring.application.name}): the audience it accepts, and the actor
     *             it names in the tokens it mints
     */
    public IdentityTokens(String secret, Duration ttl, Clock clock, String self) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException(
                    "platform.identity.secret (PLATFORM_IDENTITY_SECRET) must be set to at least 32 bytes");
        }
        if (self == null || self.isBlank()) {
            throw new IllegalArgumentException("an identity token needs the service's own name (spring.application.name)");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.clock = clock;
        this.self = self;
    }

    /** A token asserting {@code caller} to the service {@code audience} only, with this service as the actor. */
    public String mint(CallerIdentity caller, String audience) {
        Objects.requireNonNull(audience, "audience");
        Claims claims = new Claims(caller.accountId(), caller.keyId(), List.copyOf(caller.scopes()), audience, self,
                clock.instant().plus(ttl).getEpochSecond());
        String body = B64.encodeToString(json.writeValueAsBytes(claims));
        return body + "." + B64.encodeToString(mac(body));
    }

    /** The identity in {@code token}, or empty when it is malformed, forged, expired or meant for another service. */
    public Optional<CallerIdentity> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String body = token.substring(0, dot);
        try {
            byte[] signature = B64D.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, mac(body))) {
                return Optional.empty();
            }
            Claims claims = json.readValue(B64D.decode(body), Claims.class);
            if (claims.sub() == null || !self.equals(claims.aud()) || clock.instant().getEpochSecond() > claims.exp()) {
                return Optional.empty();
            }
            return Optional.of(new CallerIdentity(claims.sub(), claims.kid(),
                    claims.scp() == null ? Set.of() : Set.copyOf(claims.scp()), claims.act()));
        } catch (IllegalArgumentException | JacksonException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private record Claims(String sub, String kid, List<String> scp, String aud, String act, long exp) {
    }
}
