package dev.chatplatform.provider.upstream;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizerTest {

    private final Tokenizer tokenizer = new Tokenizer();

    @Test
    void countsWithTheO200kEncoding() {
        assertThat(tokenizer.count("hello")).isEqualTo(1);
        assertThat(tokenizer.count("Hello, world!")).isEqualTo(4);
        assertThat(tokenizer.count("")).isZero();
        assertThat(tokenizer.count(null)).isZero();
    }

    @Test
    void promptTokensFollowOpenAisCookbook() {
        // 3 per message + "user" (1) + "hello" (1) + 3 priming the reply
        assertThat(tokenizer.countPrompt(List.of(ProviderMessage.of("user", "hello")))).isEqualTo(8);
        // a name costs its tokens plus one
        assertThat(tokenizer.countPrompt(List.of(new ProviderMessage("user", "hello", "bob", null)))).isEqualTo(10);
        assertThat(tokenizer.countPrompt(List.of(ProviderMessage.of("system", "Be brief."),
                ProviderMessage.of("user", "hello")))).isEqualTo(3 + (3 + 1 + 3) + (3 + 1 + 1));
    }

    @Test
    void tokensDecodedOneByOneConcatenateBackToTheText() {
        String text = "The model answers, token by token. Then it stops.";
        assertThat(String.join("", tokenizer.pieces(tokenizer.encode(text)))).isEqualTo(text);
        assertThat(tokenizer.pieces(tokenizer.encode(text))).hasSize(tokenizer.count(text));
    }
}
