package dev.chatplatform.provider.openai;

import com.openai.errors.OpenAIException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import dev.chatplatform.provider.upstream.UpstreamException;

import java.io.InterruptedIOException;

/** The OpenAI SDK's failures as routing's {@link UpstreamException}, the same for chat and embeddings. */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    static UpstreamException upstream(String provider, OpenAIException e) {
        return switch (e) {
            case OpenAIServiceException s -> new UpstreamException(provider, s.statusCode(),
                    UpstreamException.parseRetryAfter(s.headers().values("retry-after").stream().findFirst().orElse(null)),
                    UpstreamException.classify(s.statusCode()), provider + " answered " + s.statusCode() + ": "
                    + s.getMessage(), s);
            case OpenAIIoException io -> new UpstreamException(provider, 0, null,
                    io.getCause() instanceof InterruptedIOException ? "timeout" : "connection",
                    provider + " could not be reached: " + io.getMessage(), io);
            default -> new UpstreamException(provider, 0, null, "malformed_response",
                    provider + " sent an unreadable answer: " + e.getMessage(), e);
        };
    }
}
