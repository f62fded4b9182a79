package dev.chatplatform.kit.openai;

import dev.chatplatform.kit.web.ApiException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddingsRequestTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static EmbeddingsRequest parse(String body) {
        return EmbeddingsRequest.parse(JSON.readTree(body));
    }

    @Test
    void readsAStringOrAnArrayWithTheOptionalFields() {
        EmbeddingsRequest one = parse("{\"model\":\"m\",\"input\":\"hello\"}");
        assertThat(one.inputs()).containsExactly("hello");
        assertThat(one.encodingFormat()).isEqualTo(EmbeddingsRequest.EncodingFormat.FLOAT);
        assertThat(one.dimensions()).isNull();

        EmbeddingsRequest many = parse("""
                {"model":"m","input":["a","b"],"encoding_format":"base64","dimensions":64,"user":"u","extra":1}""");
        assertThat(many.inputs()).isEqualTo(List.of("a", "b"));
        assertThat(many.encodingFormat()).isEqualTo(EmbeddingsRequest.EncodingFormat.BASE64);
        assertThat(many.dimensions()).isEqualTo(64);
        assertThat(many.user()).isEqualTo("u");
    }

    @Test
    void badInputIsA400NamingTheParameter() {
        assertParam("{\"input\":\"x\"}", "model");
        assertParam("{\"model\":7,\"input\":\"x\"}", "model");
        assertParam("{\"model\":\"m\"}", "input");
        assertParam("{\"model\":\"m\",\"input\":\"\"}", "input");
        assertParam("{\"model\":\"m\",\"input\":[]}", "input");
        assertParam("{\"model\":\"m\",\"input\":[\"a\",null]}", "input");
        assertParam("{\"model\":\"m\",\"input\":[[1,2],[3]]}", "input");
        assertParam("{\"model\":\"m\",\"input\":{\"a\":1}}", "input");
        assertParam("{\"model\":\"m\",\"input\":\"x\",\"encoding_format\":\"int8\"}", "encoding_format");
        assertParam("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":0}", "dimensions");
        assertParam("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":1.5}", "dimensions");
        assertParam("{\"model\":\"m\",\"input\":\"x\",\"dimensions\":99999999999}", "dimensions");
        assertParam("{\"model\":\"m\",\"input\":\"x\",\"user\":3}", "user");
        assertParam("{\"model\":\"m\",\"input\":" + JSON.writeValueAsString(java.util.Collections.nCopies(2049, "a"))
                + "}", "input");
        assertThatThrownBy(() -> parse("[1]")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.status().value()).isEqualTo(400));
    }

    private static void assertParam(String body, String param) {
        assertThatThrownBy(() -> parse(body)).as(body).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.toError().error().param()).isEqualTo(param);
        });
    }
}
