package dev.chatplatform.gateway.console;

import org.springframework.core.io.ClassPathResource;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's single page, {@code index.html}, with the deployment's sign-in options written into its
 * {@code <meta name="console-config">} (so the first paint needs no extra request), and the content security
 * policy it is served with: scripts and styles only from this origin (no inline script, no CDN), API calls to this
 * origin and, with OIDC on, to the issuer (discovery document and token endpoint).
 */
final class ConsolePage {

    static final String PLACEHOLDER = "<meta name=\"console-config\" content=\"{}\">";

    private final byte[] html;
    private final String policy;

    private ConsolePage(byte[] html, String policy) {
        this.html = html;
        this.policy = policy;
    }

    static ConsolePage load(ConsoleProperties console, String issuerUri, JsonMapper json) {
        String template;
        try {
            template = new ClassPathResource("console/index.html").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the console module is not on the classpath", e);
        }
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalStateException("console/index.html has no " + PLACEHOLDER);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        boolean oidc = issuerUri != null && !issuerUri.isBlank() && console.oidcClientId() != null
                && !console.oidcClientId().isBlank();
        String connect = "'self'";
        if (oidc) {
            config.put("oidc", Map.of("issuer", issuerUri, "clientId", console.oidcClientId(),
                    "scopes", console.oidcScopes()));
            URI issuer = URI.create(issuerUri);
            connect += " " + issuer.getScheme() + "://" + issuer.getRawAuthority();
        }
        String meta = "<meta name=\"console-config\" content=\"" + HtmlUtils.htmlEscape(json.writeValueAsString(config)) + "\">";
        String policy = "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
                + "img-src 'self' data: blob:; font-src 'self'; connect-src " + connect + "; form-action 'self'; "
                + "frame-ancestors 'none'; base-uri 'none'";
        return new ConsolePage(template.replace(PLACEHOLDER, meta).getBytes(StandardCharsets.UTF_8), policy);
    }

    byte[] html() {
        return html;
    }

    String policy() {
        return policy;
    }
}
