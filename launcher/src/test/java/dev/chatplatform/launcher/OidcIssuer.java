package dev.chatplatform.launcher;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * An OpenID provider in the test JVM for the console's sign-in: discovery, a JWK set, an authorization endpoint whose
 * page asks for an email address (the person "signs in" with it), and a token endpoint that redeems a code only with
 * the PKCE verifier of its S256 challenge, the same client id and redirect URI, once. ID tokens are RS256 JWTs signed
 * with a real key, carrying {@code sub} (derived from the email), {@code email}, {@code email_verified},
 * {@code name} and the request's {@code nonce}; audience is the client id. Refresh tokens are honoured. The browser
 * calls discovery and the token endpoint from the console's origin, so those answer with CORS headers, as real
 * issuers do for public clients.
 */
final class OidcIssuer implements AutoCloseable {

    static final String CLIENT_ID = "chat-console";

    private record Grant(String clientId, String redirectUri, String challenge, String nonce, String email) {
    }

    private final RSAKey key;
    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();

    OidcIssuer() {
        try {
            key = new RSAKeyGenerator(2048).keyID("console-it").generate();
            server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange);
            }
        });
        server.start();
    }

    String issuer() {
        return "http://localhost:" + server.getAddress().getPort() + "/realm";
    }

    /** OIDC on in the platform, next to API keys: tokens of this issuer for the console's client are accepted. */
    Map<String, String> platformEnvironment() {
        return Map.of("OIDC_ISSUER_URI", issuer(), "OIDC_AUDIENCE", CLIENT_ID, "CONSOLE_OIDC_CLIENT_ID", CLIENT_ID);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/realm".length());
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("OPTIONS")) {
            exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "GET, POST");
            exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        switch (path) {
            case "/.well-known/openid-configuration" -> StandInHttp.send(exchange, 200, "application/json", json.writeValueAsString(Map.of(
                    "issuer", issuer(), "authorization_endpoint", issuer() + "/authorize",
                    "token_endpoint", issuer() + "/token", "jwks_uri", issuer() + "/jwks",
                    "response_types_supported", List.of("code"), "subject_types_supported", List.of("public"),
                    "id_token_signing_alg_values_supported", List.of("RS256"),
                    "code_challenge_methods_supported", List.of("S256"),
                    "grant_types_supported", List.of("authorization_code", "refresh_token"))));
            case "/jwks" -> StandInHttp.send(exchange, 200, "application/json", new JWKSet(key.toPublicJWK()).toString());
            case "/authorize" -> authorize(exchange);
            case "/token" -> token(exchange);
            default -> StandInHttp.send(exchange, 404, "text/plain", "not found");
        }
    }

    /** GET: the sign-in form (the request's parameters carried along); POST: a code for the redirect URI. */
    private void authorize(HttpExchange exchange) throws IOException {
        boolean post = exchange.getRequestMethod().equals("POST");
        Map<String, String> q = StandInHttp.form(post ? new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                : exchange.getRequestURI().getRawQuery());
        if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
                || q.get("redirect_uri") == null || !q.getOrDefault("scope", "").contains("openid")) {
            StandInHttp.send(exchange, 400, "text/plain", "invalid authorization request: " + q);
            return;
        }
        if (!post) {
            StringBuilder hidden = new StringBuilder();
            q.forEach((k, v) -> hidden.append("<input type=\"hidden\" name=\"").append(k).append("\" value=\"")
                    .append(v.replace("&", "&amp;").replace("\"", "&quot;")).append("\">"));
            StandInHttp.send(exchange, 200, "text/html", "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in"
                    + "</title></head><body><main><h1>Sign in to the test issuer</h1><form method=\"post\">" + hidden
                    + "<label>Email <input name=\"email\" type=\"email\" required></label>"
                    + "<button type=\"submit\">Continue</button></form></main></body></html>");
            return;
        }
        String code = randomToken();
        codes.put(code, new Grant(q.get("client_id"), q.get("redirect_uri"), q.get("code_challenge"), q.get("nonce"),
                q.get("email")));
        exchange.getResponseHeaders().set("Location", q.get("redirect_uri") + "?code=" + code
                + "&state=" + URLEncoder.encode(q.getOrDefault("state", ""), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(303, -1);
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = StandInHttp.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant;
        if ("authorization_code".equals(form.get("grant_type"))) {
            grant = codes.remove(form.getOrDefault("code", ""));
            if (grant == null || !grant.clientId().equals(form.get("client_id"))
                    || !grant.redirectUri().equals(form.get("redirect_uri"))
                    || !grant.challenge().equals(s256(form.getOrDefault("code_verifier", "")))) {
                StandInHttp.send(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
                return;
            }
        } else if ("refresh_token".equals(form.get("grant_type"))) {
            grant = refreshTokens.get(form.getOrDefault("refresh_token", ""));
            if (grant == null || !grant.clientId().equals(form.get("client_id"))) {
                StandInHttp.send(exchange, 400, "application/json", "{\"error\":\"invalid_grant\"}");
                return;
            }
        } else {
            StandInHttp.send(exchange, 400, "application/json", "{\"error\":\"unsupported_grant_type\"}");
            return;
        }
        String refresh = randomToken();
        refreshTokens.put(refresh, grant);
        StandInHttp.send(exchange, 200, "application/json", json.writeValueAsString(Map.of("id_token", idToken(grant),
                "access_token", randomToken(), "token_type", "Bearer", "expires_in", 300, "refresh_token", refresh)));
    }

    private String idToken(Grant grant) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer()).audience(grant.clientId())
                .subject("user-" + HexFormat.of().formatHex(sha256(grant.email())).substring(0, 16))
                .claim("email", grant.email()).claim("email_verified", true)
                .claim("name", grant.email().substring(0, grant.email().indexOf('@')))
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        if (grant.nonce() != null) {
            claims.claim("nonce", grant.nonce());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private String randomToken() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String s256(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
