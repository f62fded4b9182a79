package dev.chatplatform.kit.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

import java.util.Map;

/**
 * Applies {@link TextChecks} to the decoded path variables and query parameters (names and values) of every
 * request before its handler runs, so a {@code %00} in a filter is a 400 naming the parameter
 * ({@link ErrorCode#INVALID_CHARACTERS}) instead of a database error, and a query string that cannot be decoded
 * is a 400 ({@link ErrorCode#INVALID_REQUEST}) instead of Tomcat's exception, as is a path variable over
 * {@value #MAX_PATH_VARIABLE_CHARS} characters ({@link ErrorCode#INVALID_VALUE}). Request bodies are checked by
 * {@link TextCheckingModule}.
 */
final class ParameterTextChecks implements HandlerInterceptor {

    /**
     * The longest path variable (an id, a key, a name): what the outbox keeps as a record key and subject
     * ({@code varchar(200)}), so a longer id is a 400 naming it rather than a failed insert.
     */
    static final int MAX_PATH_VARIABLE_CHARS = 200;

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE) instanceof Map<?, ?> variables) {
            variables.forEach((name, value) -> {
                check(String.valueOf(name), String.valueOf(value));
                if (String.valueOf(value).length() > MAX_PATH_VARIABLE_CHARS) {
                    throw new ApiException(ErrorCode.INVALID_VALUE, "Invalid value for '" + name + "': longer than "
                            + MAX_PATH_VARIABLE_CHARS + " characters.", String.valueOf(name));
                }
            });
        }
        Map<String, String[]> parameters;
        try {
            parameters = request.getParameterMap();
        } catch (IllegalStateException e) {
            // Tomcat refuses a query string it cannot decode (%zz, bytes that are not UTF-8) when it is first read
            throw new ApiException(ErrorCode.INVALID_REQUEST, "The query string is not valid percent-encoded UTF-8.", null);
        }
        parameters.forEach((name, values) -> {
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
