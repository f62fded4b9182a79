package dev.chatplatform.gateway.ratelimit;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TokenEstimatorTest {

    private final TokenEstimator estimator = new TokenEstimator(JsonMapper.builder().build(), 1024);

    @Test
    void bodyBytesOverFourPlusTheMostTheAnswerMayUse() {
        assertThat(estimate("{\"max_tokens\":100,\"messages\":[]}")).isEqualTo(8 + 100);
        assertThat(estimate("{\"max_completion_tokens\":30,\"max_tokens\":100}")).isEqualTo(12 + 30);
        assertThat(estimate("{\"content\":\"hi\",\"maxTokens\":7}")).isEqualTo(8 + 7);
    }

    @Test
    void withoutMaxTokensOrJsonTheDefaultCounts() {
        assertThat(estimate("{\"messages\":[]}")).isEqualTo(4 + 1024);
        assertThat(estimate("{not json")).isEqualTo(3 + 1024);
        assertThat(estimate("")).isEqualTo(1024);
    }

    private long estimate(String body) {
        return estimator.estimate(body.getBytes(StandardCharsets.UTF_8));
    }
}
