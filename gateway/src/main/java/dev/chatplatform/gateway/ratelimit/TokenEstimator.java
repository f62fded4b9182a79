package dev.chatplatform.gateway.ratelimit;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Estimates the tokens a chat request will use before it runs, for the tokens-per-minute bucket:
 * {@code ceil(body bytes / 4)} for the prompt (about 4 bytes per token in English; the conversation API's
 * stored history is not in the body and is not counted) plus the most it may answer: {@code max_completion_tokens},
 * {@code max_tokens} or {@code maxTokens} from the body, else {@code gateway.rate-limits.default-max-tokens}.
 * The estimate is not corrected afterwards from the real usage: the gateway charges what the request could
 * cost, as OpenAI's own rate limiter does. The budget ledger (usage-service holds) counts the real tokens.
 */
public class TokenEstimator {

    private static final String[] MAX_TOKEN_FIELDS = {"max_completion_tokens", "max_tokens", "maxTokens"};

    private final JsonMapper json;
    private final long defaultMaxTokens;

    public TokenEstimator(JsonMapper json, long defaultMaxTokens) {
        this.json = json;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    public long estimate(byte[] body) {
        return (body.length + 3) / 4 + maxTokens(body);
    }

    /** An embeddings request's estimate: its input only ({@code ceil(body bytes / 4)}), as it answers no tokens. */
    public long estimateInput(byte[] body) {
        return (body.length + 3) / 4;
    }

    private long maxTokens(byte[] body) {
        if (body.length == 0) {
            return defaultMaxTokens;
        }
        try {
            JsonNode root = json.readTree(body);
            for (String field : MAX_TOKEN_FIELDS) {
                JsonNode value = root.path(field);
                if (value.isIntegralNumber() && value.asLong() > 0) {
                    return value.asLong();
                }
            }
        } catch (JacksonException e) {
            // not JSON: the service answers 400; count the default
        }
        return defaultMaxTokens;
    }
}
