package dev.chatplatform.kit.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Where the servlet container sends an error no handler answered ({@code sendError}: a TRACE request, a
 * refusal inside Tomcat after routing): the platform's {@link ApiError} shape instead of Spring Boot's
 * {@code {"timestamp","status","error","path"}}. Replaces Boot's {@code BasicErrorController}.
 */
@RestController
@RequestMapping("${server.error.path:/error}")
class ServletErrorController implements ErrorController {

    @RequestMapping
    ResponseEntity<ApiError> error(HttpServletRequest request) {
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 500;
        ErrorCode code = ErrorCode.forStatus(status);
        String message = status >= 500
                ? "The server failed to handle the request; it has been logged."
                : "The request was refused: " + HttpStatus.valueOf(status).getReasonPhrase() + ".";
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(ApiError.of(code, message, null));
    }
}
