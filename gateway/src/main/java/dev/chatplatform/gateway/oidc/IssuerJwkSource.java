package dev.chatplatform.gateway.oidc;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSetUnavailableException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The issuer's signing keys. The JWKS location comes from {@code OIDC_JWKS_URI} or, lazily on the first
 * token, from the issuer's discovery document, so the gateway starts (and serves API keys) while the
 * issuer is unreachable. Keys are cached, fetched again when a token names an unknown key id (at most
 * twice per {@code jwksRefreshMinInterval}), and kept through an outage of the JWKS endpoint. Blocking:
 * call it off the event loop.
 */
final class IssuerJwkSource implements JWKSource<SecurityContext>, Closeable {

    private static final Logger log = LoggerFactory.getLogger(IssuerJwkSource.class);
    /** After a failed discovery, tokens are answered at once (issuer unavailable) for this long. */
    private static final Duration DISCOVERY_RETRY = Duration.ofSeconds(5);
    private static final Duration CACHE_REFRESH_TIMEOUT = Duration.ofSeconds(15);

    private final OidcProperties properties;
    private final ResourceRetriever retriever;
    private volatile JWKSource<SecurityContext> delegate;
    private long retryDiscoveryAt;

    IssuerJwkSource(OidcProperties properties, ResourceRetriever retriever) {
        this.properties = properties;
        this.retriever = retriever;
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        return delegate().get(selector, context);
    }

    private JWKSource<SecurityContext> delegate() throws KeySourceException {
        JWKSource<SecurityContext> current = delegate;
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (delegate != null) {
                return delegate;
            }
            if (System.currentTimeMillis() < retryDiscoveryAt) {
                throw new JWKSetUnavailableException("the issuer's discovery document failed recently");
            }
            try {
                URL jwks = properties.jwksUri() == null || properties.jwksUri().isBlank()
                        ? discoverJwksUri() : URI.create(properties.jwksUri()).toURL();
                delegate = JWKSourceBuilder.<SecurityContext>create(jwks, retriever)
                        .cache(properties.jwksCacheTtl().toMillis(), CACHE_REFRESH_TIMEOUT.toMillis())
                        .rateLimited(properties.jwksRefreshMinInterval().toMillis())
                        .outageTolerant(true)
                        .build();
                log.info("OIDC keys of {} are read from {}", properties.issuerUri(), jwks);
                return delegate;
            } catch (IOException | ParseException | RuntimeException e) {
                retryDiscoveryAt = System.currentTimeMillis() + DISCOVERY_RETRY.toMillis();
                log.warn("cannot read the OIDC discovery document of {}: {}", properties.issuerUri(), e.toString());
                throw new JWKSetUnavailableException("cannot read the issuer's discovery document: " + e.getMessage(), e);
            }
        }
    }

    /** {@code jwks_uri} of {@code <issuer>/.well-known/openid-configuration}, whose {@code issuer} must be ours. */
    private URL discoverJwksUri() throws IOException, ParseException {
        String issuer = properties.issuerUri();
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        URL discovery = URI.create(base + "/.well-known/openid-configuration").toURL();
        Map<String, Object> document = JSONObjectUtils.parse(retriever.retrieveResource(discovery).getContent());
        String announced = JSONObjectUtils.getString(document, "issuer");
        if (!issuer.equals(announced)) {
            throw new IllegalStateException("the discovery document names issuer " + announced + ", not " + issuer);
        }
        String jwksUri = JSONObjectUtils.getString(document, "jwks_uri");
        if (jwksUri == null || jwksUri.isBlank()) {
            throw new IllegalStateException("the discovery document has no jwks_uri");
        }
        return URI.create(jwksUri).toURL();
    }

    @Override
    public void close() throws IOException {
        if (delegate instanceof Closeable closeable) {
            closeable.close();
        }
    }
}
