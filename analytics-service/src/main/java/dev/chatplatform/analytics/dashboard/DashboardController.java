package dev.chatplatform.analytics.dashboard;

import dev.chatplatform.kit.web.PublicEndpoint;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

import java.net.URI;

/**
 * The dashboard page. Its content security policy allows only this origin's scripts, styles and API calls, so
 * nothing is fetched from a CDN and an injected script could not run.
 */
@PublicEndpoint("the page and its assets hold no data; its script calls the API with the viewer's credential")
@Controller
@ResponseBody // the answers are ResponseEntity already; this makes springdoc document the page as an operation
class DashboardController {

    static final String PATH = "/api/v1/analytics/dashboard/";
    /** ECharts writes style attributes (tooltip, SVG marks), as in the console: attributes only, no style elements. */
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "style-src-attr 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private final Resource page = new ClassPathResource("dashboard/index.html");

    /** Relative asset links need the trailing slash. */
    @GetMapping("/api/v1/analytics/dashboard")
    ResponseEntity<Void> redirect() {
        return ResponseEntity.status(302).location(URI.create(PATH)).build();
    }

    @GetMapping(PATH)
    ResponseEntity<Resource> page() {
        return ResponseEntity.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noCache())
                .header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .body(page);
    }
}
