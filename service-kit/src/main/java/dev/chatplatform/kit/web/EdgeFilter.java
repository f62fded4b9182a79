package dev.chatplatform.kit.web;

import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.identity.IdentityTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The first thing every request meets in an MVC service: gives it a request id (logged with every line,
 * and one access-log line per request),
 * refuses bodies over the size limit (by their Content-Length, or while a chunked body is read: {@link
 * BoundedBodyRequest}), and verifies the gateway-asserted identity. Requests without a
 * valid identity get a 401 unless their path is declared public ({@code platform.identity.public-paths}).
 */
public class EdgeFilter extends OncePerRequestFilter {

    /** Request attribute holding the verified {@link CallerIdentity}. */
    public static final String IDENTITY_ATTRIBUTE = CallerIdentity.class.getName();

    private final IdentityTokens tokens;
    private final List<String> publicPaths;
    private final long maxBodyBytes;
    private final JsonMapper json;
    private final AntPathMatcher matcher = new AntPathMatcher();
    /** One line per request, with requestId, accountId, traceId and spanId in the MDC. */
    private static final Logger access = LoggerFactory.getLogger("dev.chatplatform.access");

    public EdgeFilter(IdentityTokens tokens, List<String> publicPaths, long maxBodyBytes, JsonMapper json) {
        this.tokens = tokens;
        this.publicPaths = publicPaths;
        this.maxBodyBytes = maxBodyBytes;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String requestId = RequestIds.acceptOrMint(request.getHeader(RequestIds.HEADER));
        MDC.put(RequestIds.MDC_KEY, requestId);
        response.setHeader(RequestIds.HEADER, requestId);
        request.setAttribute(RequestIds.MDC_KEY, requestId);
        long started = System.nanoTime();
        try {
            if (request.getContentLengthLong() > maxBodyBytes) {
                write(response, ErrorCode.REQUEST_TOO_LARGE, "The request body is larger than " + maxBodyBytes + " bytes.");
                return;
            }
            Optional<CallerIdentity> identity = tokens.verify(request.getHeader(IdentityTokens.HEADER));
            identity.ifPresent(id -> {
                request.setAttribute(IDENTITY_ATTRIBUTE, id);
                MDC.put("accountId", id.accountId());
            });
            if (identity.isEmpty() && !isPublic(request.getRequestURI())) {
                write(response, ErrorCode.UNAUTHENTICATED,
                        "This service accepts only requests forwarded by the gateway with a valid identity.");
                return;
            }
            if (!concreteContentType(request.getContentType())) {
                write(response, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be a media type such as application/json.");
                return;
            }
            chain.doFilter(request.getContentLengthLong() < 0 ? new BoundedBodyRequest(request, maxBodyBytes) : request,
                    response);
        } finally {
            if (!request.getRequestURI().startsWith("/actuator")) {
                access.info("{} {} -> {} in {} ms", request.getMethod(), request.getRequestURI(), response.getStatus(),
                        (System.nanoTime() - started) / 1_000_000);
            }
            MDC.remove(RequestIds.MDC_KEY);
            MDC.remove("accountId");
        }
    }

    /** No Content-Type, or one Spring can hold: a single media type without wildcards ({@code *}{@code /*} is not one). */
    private static boolean concreteContentType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private boolean isPublic(String path) {
        return path.startsWith("/actuator") || publicPaths.stream().anyMatch(p -> matcher.match(p, path));
    }

    private void write(HttpServletResponse response, ErrorCode code, String message) throws IOException {
        ApiError error = ApiError.of(code, message, null);
        response.setStatus(code.status().value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(error));
    }
}
