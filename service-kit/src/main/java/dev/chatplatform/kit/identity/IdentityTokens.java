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
import java.util.Optional;
import java.util.Set;

/**
 * Signs and verifies the identity the gateway asserts to internal services:
 * {@code base64url(json claims) "." base64url(HMAC-SHA256(secret, first part))}. Claims expire after a
 * short time, so a leaked token is of little use. The secret ({@code PLATFORM_IDENTITY_SECRET}) is shared
 * by the gateway and the services and by nobody else.
 */
public class IdentityTokens {

    /** The header internal calls carry the token in; the gateway strips any value a client sends. */
    public static final String HEADER = "X-Platform-Identity";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    public IdentityTokens(String secret, Duration ttl, Clock clock) {
        if (secret == null || secret.getBytes(StandardCharsets.UTF_8).length < 32) {
            throw new IllegalArgumentException(
                    "platform.identity.secret (PLATFORM_IDENTITY_SECRET) must be set to at least 32 bytes");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.clock = clock;
    }

    public String sign(CallerIdentity identity) {
        Claims claims = new Claims(identity.accountId(), identity.keyId(), List.copyOf(identity.scopes()),
                clock.instant().plus(ttl).getEpochSecond());
        String body = B64.encodeToString(json.writeValueAsBytes(claims));
        return body + "." + B64.encodeToString(mac(body));
    }

    /** The identity in {@code token}, or empty when it is malformed, forged or expired. */
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
            if (claims.sub() == null || clock.instant().getEpochSecond() > claims.exp()) {
                return Optional.empty();
            }
            return Optional.of(new CallerIdentity(claims.sub(), claims.kid(),
                    claims.scp() == null ? Set.of() : Set.copyOf(claims.scp())));
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

    private record Claims(String sub, String kid, List<String> scp, long exp) {
    }
}
