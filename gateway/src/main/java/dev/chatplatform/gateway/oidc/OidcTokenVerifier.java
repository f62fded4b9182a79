package dev.chatplatform.gateway.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.Closeable;
import java.io.IOException;
import java.text.ParseException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Verifies JWTs of the configured issuer with Nimbus JOSE+JWT: an RS256 or ES256 signature by a key of the
 * issuer's JWKS (chosen by {@code kid}), {@code iss} equal to the configured issuer, {@code aud} containing
 * the configured audience (when one is set), {@code exp} (required) and {@code nbf} with a small clock skew,
 * and a {@code sub}. Unsigned ({@code alg: none}), HMAC-signed and encrypted tokens are refused.
 */
public class OidcTokenVerifier implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(OidcTokenVerifier.class);
    private static final Pattern JWT_SHAPE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    /** Printable ASCII only: the address travels in a header. */
    private static final Pattern EMAIL = Pattern.compile("[\\x21-\\x7E&&[^@]]+@[\\x21-\\x7E&&[^@]]+");
    private static final int HTTP_TIMEOUT_MILLIS = 3_000;
    private static final int HTTP_SIZE_LIMIT = 512 * 1024;

    /** An outage is logged once per this interval, not once per request. */
    private static final long UNAVAILABLE_LOG_INTERVAL_MILLIS = 10_000;

    private final AtomicLong lastUnavailableLog = new AtomicLong();
    private final IssuerJwkSource keys;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public OidcTokenVerifier(OidcProperties properties) {
        this(properties, new DefaultResourceRetriever(HTTP_TIMEOUT_MILLIS, HTTP_TIMEOUT_MILLIS, HTTP_SIZE_LIMIT));
    }

    OidcTokenVerifier(OidcProperties properties, ResourceRetriever retriever) {
        this.keys = new IssuerJwkSource(properties, retriever);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        // ID tokens carry "JWT" or nothing; RFC 9068 access tokens "at+jwt"
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        String audience = properties.audience() == null || properties.audience().isBlank() ? null : properties.audience();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(properties.issuerUri()).build(), Set.of("iss", "sub", "exp"));
        claims.setMaxClockSkew(Math.toIntExact(properties.clockSkew().toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * Whether a bearer token is a JWT rather than an API key: three base64url parts separated by dots.
     * Platform keys ({@code sk-cp-...}) never are.
     */
    public static boolean looksLikeJwt(String token) {
        return !token.startsWith("sk-cp-") && JWT_SHAPE.matcher(token).matches();
    }

    /**
     * The verified token; fails with {@link InvalidTokenException} or, when the issuer's keys cannot be
     * fetched, {@link IssuerUnavailableException}. Runs on the bounded-elastic scheduler: a key fetch blocks.
     */
    public Mono<VerifiedToken> verify(String token) {
        return Mono.fromCallable(() -> verifyNow(token)).subscribeOn(Schedulers.boundedElastic());
    }

    VerifiedToken verifyNow(String token) {
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ExpiredJWTException e) {
            throw invalid("The token has expired.", true, e);
        } catch (ParseException e) {
            throw invalid("The token is not a well-formed JWT.", false, e);
        } catch (BadJOSEException e) {
            throw invalid("The token is not valid for this platform.", false, e);
        } catch (RateLimitReachedException e) {
            throw invalid("The token is signed with an unknown key.", false, e);
        } catch (KeySourceException e) {
            long now = System.currentTimeMillis();
            long last = lastUnavailableLog.get();
            if (now - last > UNAVAILABLE_LOG_INTERVAL_MILLIS && lastUnavailableLog.compareAndSet(last, now)) {
                log.warn("OIDC keys unavailable, tokens answered 503: {}", e.getMessage());
            }
            throw new IssuerUnavailableException("The identity provider's keys cannot be fetched right now.", e);
        } catch (JOSEException e) {
            throw invalid("The token is not valid for this platform.", false, e);
        }
        Object verified = claims.getClaim("email_verified");
        boolean emailVerified = Boolean.TRUE.equals(verified) || "true".equals(verified);
        String email = emailVerified ? emailOf(claims) : null;
        return new VerifiedToken(claims.getSubject(), email);
    }

    /** The e-mail claim when it is a plausible address that can travel in a header; else null. */
    private static String emailOf(JWTClaimsSet claims) {
        try {
            String email = claims.getStringClaim("email");
            return email != null && email.length() <= 254 && EMAIL.matcher(email).matches() ? email : null;
        } catch (ParseException e) {
            return null;
        }
    }

    private static InvalidTokenException invalid(String message, boolean expired, Exception cause) {
        log.debug("OIDC token refused: {}", cause.getMessage());
        return new InvalidTokenException(message, expired, cause);
    }

    @Override
    public void close() throws IOException {
        keys.close();
    }
}
