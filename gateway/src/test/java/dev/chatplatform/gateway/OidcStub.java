package dev.chatplatform.gateway;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * An OpenID provider for the tests: a JDK HTTP server with a discovery document and a JWKS, and the private
 * keys to mint tokens with. One per test JVM.
 */
final class OidcStub {

    static final String AUDIENCE = "chat-platform";
    private static OidcStub instance;

    final RSAKey rsa = generateRsa("rsa-1");
    final ECKey ec = generateEc("ec-1");
    private final List<JWK> published = new CopyOnWriteArrayList<>(List.of(rsa.toPublicJWK(), ec.toPublicJWK()));
    private final HttpServer server;

    private OidcStub() {
        try {
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/realms/test/.well-known/openid-configuration", exchange -> json(exchange,
                "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer() + "/protocol/openid-connect/certs\","
                        + "\"id_token_signing_alg_values_supported\":[\"RS256\",\"ES256\"]}"));
        server.createContext("/realms/test/protocol/openid-connect/certs",
                exchange -> json(exchange, new JWKSet(List.copyOf(published)).toString()));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    }

    static synchronized OidcStub get() {
        if (instance == null) {
            instance = new OidcStub();
        }
        return instance;
    }

    String issuer() {
        return "http://localhost:" + server.getAddress().getPort() + "/realms/test";
    }

    /** Adds a public key to the JWKS, as an identity provider does when it rotates keys. */
    void publish(JWK key) {
        published.add(key.toPublicJWK());
    }

    /** A valid RS256 token for {@code subject}, adjusted by {@code claims}. */
    String token(String subject, Consumer<JWTClaimsSet.Builder> claims) {
        return sign(rsa, JWSAlgorithm.RS256, rsa.getKeyID(), subject, claims);
    }

    String token(String subject) {
        return token(subject, c -> { });
    }

    String sign(JWK key, JWSAlgorithm algorithm, String kid, String subject, Consumer<JWTClaimsSet.Builder> claims) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(issuer()).audience(AUDIENCE).subject(subject)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        claims.accept(builder);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(),
                builder.build());
        try {
            JWSSigner signer = key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey generateEc(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }
}
