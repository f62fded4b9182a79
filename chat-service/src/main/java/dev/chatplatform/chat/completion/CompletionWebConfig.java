package dev.chatplatform.chat.completion;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.accept.ContentNegotiationStrategy;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.servlet.config.annotation.ContentNegotiationConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/**
 * Errors of {@code /v1/chat/completions} are JSON whatever the client's {@code Accept} says, as OpenAI's
 * are: a streaming client sending only {@code Accept: text/event-stream} must still get its 400 in OpenAI's
 * error shape, not a 500 from failed content negotiation. Other paths negotiate from the header as usual.
 */
@Configuration(proxyBeanMethods = false)
class CompletionWebConfig implements WebMvcConfigurer {

    static final String PATH = "/v1/chat/completions";

    @Override
    public void configureContentNegotiation(ContentNegotiationConfigurer configurer) {
        ContentNegotiationStrategy completionsAnswerJson = (NativeWebRequest request) -> {
            HttpServletRequest servlet = request.getNativeRequest(HttpServletRequest.class);
            String uri = servlet == null ? null : servlet.getRequestURI();
            return PATH.equals(uri) ? List.of(MediaType.APPLICATION_JSON) : ContentNegotiationStrategy.MEDIA_TYPE_ALL_LIST;
        };
        configurer.strategies(List.of(completionsAnswerJson, new HeaderContentNegotiationStrategy()));
    }
}
