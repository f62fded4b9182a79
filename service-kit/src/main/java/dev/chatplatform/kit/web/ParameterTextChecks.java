package dev.chatplatform.kit.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Map;

/**
 * Applies {@link TextChecks} to the decoded path variables and query parameters (names and values) of every
 * request before its handler runs, so a {@code %00} in a filter is a 400 naming the parameter
 * ({@link ErrorCode#INVALID_CHARACTERS}) instead of a database error. Request bodies are checked by
 * {@link TextCheckingModule}.
 */
final class ParameterTextChecks implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            variables.forEach((name, value) -> check(String.valueOf(name), String.valueOf(value)));
        }
        request.getParameterMap().forEach((name, values) -> {
            check(name, name);
            for (String value : values) {
                check(name, value);
            }
        });
        return true;
    }

    private static void check(String param, String value) {
        String problem = value == null ? null : TextChecks.problem(value);
        if (problem != null) {
            String name = TextChecks.printable(param);
            throw new ApiException(ErrorCode.INVALID_CHARACTERS, "Invalid value for '" + name + "': it " + problem + ".", name);
        }
    }
}
