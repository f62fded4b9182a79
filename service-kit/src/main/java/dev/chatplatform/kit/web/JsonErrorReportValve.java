package dev.chatplatform.kit.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Tomcat's last word on a request it refused before any servlet saw it (an encoded slash or a malformed
 * percent-escape in the path, an invalid request line...): the platform's JSON error instead of Tomcat's HTML page.
 * Installed as the host's error report valve ({@link WebMvcEdgeAutoConfiguration}).
 */
public class JsonErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        ErrorCode code = ErrorCode.forStatus(status);
        String message = status >= 500
                ? "The server failed to handle the request; it has been logged."
                : "The request is malformed (HTTP " + status + "): check the path, its percent-encoding and the headers.";
        try {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            response.getOutputStream().write(JSON.writeValueAsBytes(ApiError.of(code, message, null)));
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body: the status alone has to do
        }
    }
}
