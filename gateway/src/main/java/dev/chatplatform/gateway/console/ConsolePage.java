package dev.chatplatform.gateway.console;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's single page, {@code index.html}, with the deployment's sign-in options written into its
 * {@code <meta name="console-config">} (so the first paint needs no extra request), and the content security
 * policy it is served with: scripts and styles only from this origin (no inline script, no CDN), API calls to this
 * origin and, with OIDC on, to the issuer (discovery document and token endpoint).
 *
 * <p>The page names the console's files under {@code /assets/<version>/}, where the version is a digest of their
 * contents: those URLs never change meaning, so the browser keeps them a year without asking again, while the page
 * itself is revalidated on every load and names a new version as soon as a file changes. The modules import each
 * other by relative paths, so a whole page load stays within one version.
 */
final class ConsolePage {

    static final String PLACEHOLDER = "<meta name=\"console-config\" content=\"{}\">";

    private final byte[] html;
    private final String policy;
    private final String assetsVersion;

    private ConsolePage(byte[] html, String policy, String assetsVersion) {
        this.html = html;
        this.policy = policy;
        this.assetsVersion = assetsVersion;
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
        String version = digestOfFiles();
        String html = template.replace(PLACEHOLDER, meta).replace("\"/assets/", "\"/assets/" + version + "/");
        return new ConsolePage(html.getBytes(StandardCharsets.UTF_8), policy, version);
    }

    /** A digest of every file of the console (names and contents): it changes when any of them does. */
    private static String digestOfFiles() {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:console/**/*.*");
            Arrays.sort(files, Comparator.comparing(file -> String.valueOf(file.getDescription())));
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Resource file : files) {
                digest.update(String.valueOf(file.getFilename()).getBytes(StandardCharsets.UTF_8));
                try (InputStream in = file.getInputStream()) {
                    digest.update(in.readAllBytes());
                }
            }
            return "v" + HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (IOException e) {
            throw new UncheckedIOException("the console's files cannot be read", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] html() {
        return html;
    }

    String policy() {
        return policy;
    }

    /** The path segment after {@code /assets/} that names this build of the console's files. */
    String assetsVersion() {
        return assetsVersion;
    }
}
