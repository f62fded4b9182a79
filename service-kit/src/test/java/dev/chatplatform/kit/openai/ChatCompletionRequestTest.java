package dev.chatplatform.kit.openai;

import dev.chatplatform.kit.web.ApiError;
import dev.chatplatform.kit.web.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ChatCompletionRequestTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private ChatCompletionRequest validate(String body) {
        return ChatCompletionRequest.parse(json.readTree(body));
    }

    private ApiError.Body rejection(String body) {
        ApiException e = catchThrowableOfType(ApiException.class, () -> validate(body));
        assertThat(e).as("expected a rejection of %s", body).isNotNull();
        assertThat(e.status().value()).isEqualTo(400);
        return e.toError().error();
    }

    @Test
    void aMinimalRequestIsAcceptedAsNonStream() {
        var request = validate("""
                {"model":"sim-1","messages":[{"role":"user","content":"hi"}]}""");
        assertThat(request.model()).isEqualTo("sim-1");
        assertThat(request.stream()).isFalse();
        assertThat(request.includeUsage()).isFalse();
    }

    @Test
    void everyDocumentedParameterWithinItsRangeIsAccepted() {
        var request = validate("""
                {"model":"sim-1","messages":[
                   {"role":"system","content":"be brief"},
                   {"role":"user","content":[{"type":"text","text":"hi"},{"type":"text","text":"there"}]},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]},
                   {"role":"tool","tool_call_id":"c1","content":"42"}],
                 "temperature":2,"top_p":0,"max_tokens":1,"max_completion_tokens":100000000000000000000,"n":1,
                 "stream":true,"stream_options":{"include_usage":true},"stop":["a","b","c","d"]}""");
        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
    }

    @Test
    void unknownFieldsAndExplicitNullsAreIgnoredLikeOpenAi() {
        var request = validate("""
                {"model":"sim-1","messages":[{"role":"user","content":"hi","name":"ann"}],"temperature":null,
                 "stop":null,"stream":null,"n":null,"some_future_option":{"x":1}}""");
        assertThat(request.stream()).isFalse();
        assertThat(request.body().has("some_future_option")).as("forwarded untouched").isTrue();
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            {"messages":[{"role":"user","content":"hi"}]}                                    | model                          | missing_required_parameter
            {"model":42,"messages":[{"role":"user","content":"hi"}]}                         | model                          | invalid_type
            {"model":" ","messages":[{"role":"user","content":"hi"}]}                        | model                          | invalid_value
            {"model":"sim-1"}                                                                | messages                       | missing_required_parameter
            {"model":"sim-1","messages":"hi"}                                                | messages                       | invalid_type
            {"model":"sim-1","messages":[]}                                                  | messages                       | empty_array
            {"model":"sim-1","messages":["hi"]}                                              | messages[0]                    | invalid_type
            {"model":"sim-1","messages":[{"content":"hi"}]}                                  | messages[0].role               | missing_required_parameter
            {"model":"sim-1","messages":[{"role":"user","content":"a"},{"role":"wizard","content":"b"}]} | messages[1].role    | invalid_value
            {"model":"sim-1","messages":[{"role":"user"}]}                                   | messages[0].content            | missing_required_parameter
            {"model":"sim-1","messages":[{"role":"user","content":42}]}                      | messages[0].content            | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":[]}]}                      | messages[0].content            | empty_array
            {"model":"sim-1","messages":[{"role":"user","content":[{"type":"video","video":{}}]}]} | messages[0].content[0].type | invalid_value
            {"model":"sim-1","messages":[{"role":"user","content":[{"type":"image_url","image_url":{}}]}]} | messages[0].content[0].image_url.url | missing_required_parameter
            {"model":"sim-1","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"huge"}}]}]} | messages[0].content[0].image_url.detail | invalid_value
            {"model":"sim-1","messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]} | messages[0].content[0].type | invalid_value
            {"model":"sim-1","messages":[{"role":"user","content":[{"type":"file","file":{"filename":"a.pdf"}}]}]} | messages[0].content[0].file.file_data | missing_required_parameter
            {"model":"sim-1","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAA","format":"ogg"}}]}]} | messages[0].content[0].input_audio.format | invalid_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]} | messages[0].tool_calls | invalid_value
            {"model":"sim-1","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f"}}]}]} | messages[0].tool_calls[0].function.arguments | missing_required_parameter
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"xml"}} | response_format.type | invalid_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"response_format":"json"} | response_format | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema"}} | response_format.json_schema | missing_required_parameter
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","schema":[]}}} | response_format.json_schema.schema | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"n":0}              | n                              | integer_below_min_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"n":129}            | n                              | integer_above_max_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"logprobs":"yes"}   | logprobs                       | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"top_logprobs":3}   | top_logprobs                   | invalid_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"logprobs":true,"top_logprobs":21} | top_logprobs    | integer_above_max_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"seed":1.5}         | seed                           | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"parallel_tool_calls":1} | parallel_tool_calls       | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{}}]} | tools[0].function.name | missing_required_parameter
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"web"}]} | tools[0].type           | invalid_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":"x"}}]} | tools[0].function.parameters | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"tool_choice":"always"} | tool_choice                | invalid_value
            {"model":"sim-1","messages":[{"role":"user","content":[{"type":"text"}]}]}       | messages[0].content[0].text    | missing_required_parameter
            {"model":"sim-1","messages":[{"role":"tool","content":"x"}]}                     | messages[0].tool_call_id       | missing_required_parameter
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"temperature":2.01} | temperature                    | decimal_above_max_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"temperature":-1}   | temperature                    | decimal_below_min_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"temperature":"hot"} | temperature                   | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"top_p":1.5}        | top_p                          | decimal_above_max_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"max_tokens":0}     | max_tokens                     | integer_below_min_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"max_tokens":"10"}  | max_tokens                     | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":2.5} | max_completion_tokens  | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"stream":"yes"}     | stream                         | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":1}} | stream_options.include_usage | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":true} | stream_options | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}} | stream_options | invalid_value
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"stop":["a","b","c","d","e"]} | stop                  | array_above_max_length
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"stop":["a",1]}     | stop[1]                        | invalid_type
            {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"stop":7}           | stop                           | invalid_type
            """)
    void badInputIsRejectedNamingTheParameter(String body, String param, String code) {
        ApiError.Body error = rejection(body);
        assertThat(error.param()).isEqualTo(param);
        assertThat(error.code()).isEqualTo(code);
        assertThat(error.type()).isEqualTo("invalid_request_error");
        assertThat(error.message()).contains(param.replaceAll("\\[\\d+].*", ""));
    }

    @Test
    void theNewerParametersOfTheReferenceAreReadIntoTheModel() {
        var request = validate("""
                {"model":"sim-1","messages":[
                   {"role":"developer","content":"answer in JSON"},
                   {"role":"user","content":[{"type":"text","text":"what is "},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}},
                                             {"type":"file","file":{"file_data":"data:application/pdf;base64,JVBERi0=","filename":"a.pdf"}}]}],
                 "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"x":{"type":"integer"}}}}},
                 "n":2,"logprobs":true,"top_logprobs":5,"seed":-42,"parallel_tool_calls":false,
                 "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":{"type":"function","function":{"name":"f"}}}""");
        assertThat(request.messages().getFirst().instructions()).isTrue();
        assertThat(request.messages().get(1).text()).isEqualTo("what is ");
        assertThat(request.inputModalities()).containsExactly("text", "image", "file");
        assertThat(request.responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
        assertThat(request.responseFormat().schema().path("properties").has("x")).isTrue();
        assertThat(request.responseFormat().strict()).isTrue();
        assertThat(request.optionalParameters()).containsExactly("response_format", "n", "logprobs", "seed",
                "parallel_tool_calls");
        assertThat(request.topLogprobs()).isEqualTo(5);
        assertThat(request.seed()).isEqualTo(-42L);
        assertThat(request.toolChoice()).isEqualTo("f");
        assertThat(request.tools()).extracting(FunctionTool::name).containsExactly("f");
    }

    @Test
    void plainTextFormatAndOneChoiceAreNotOptionalParameters() {
        var request = validate("""
                {"model":"sim-1","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"text"},"n":1,"logprobs":false}""");
        assertThat(request.optionalParameters()).isEmpty();
        assertThat(request.inputModalities()).containsExactly("text");
    }

    @Test
    void aBodyThatIsNotAnObjectIsRejected() {
        ApiError.Body error = rejection("[1,2]");
        assertThat(error.code()).isEqualTo("invalid_type");
        assertThat(error.message()).contains("JSON object");
    }
}
