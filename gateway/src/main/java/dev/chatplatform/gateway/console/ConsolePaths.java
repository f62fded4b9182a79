package dev.chatplatform.gateway.console;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;

import java.util.Set;

/**
 * Which requests belong to the console: {@code GET} and {@code HEAD} of any path whose first segment is not one of
 * the API's ({@code /v1}, {@code /api}, {@code /webhooks}, {@code /actuator}) or Swagger UI's ({@code /docs}). The rule is by prefix rather than by
 * a list of console routes, so a page added to the console needs no change here, and no API path can ever be
 * shadowed by the console (or served without a credential because of it).
 */
public final class ConsolePaths {

    private static final Set<String> API_SEGMENTS = Set.of("v1", "api", "webhooks", "actuator", "docs");

    private ConsolePaths() {
    }

    public static boolean isConsole(ServerHttpRequest request) {
        HttpMethod method = request.getMethod();
        return (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method))
                && isConsolePath(request.getPath().pathWithinApplication().value());
    }

    static boolean isConsolePath(String path) {
        String rest = path.startsWith("/") ? path.substring(1) : path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? rest : rest.substring(0, slash);
        return !API_SEGMENTS.contains(first);
    }

    /** Assets and libraries, served as files; every other console path is a page (index.html). */
    static boolean isAsset(String path) {
        return path.startsWith("/assets/") || path.startsWith("/webjars/");
    }
}
