package dev.chatplatform.provider.upstream;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.chatplatform.kit.openai.ContentPart;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.List;

/** Counts and splits text with OpenAI's o200k_base encoding (the GPT-4o family's tokenizer). */
@Component
public class Tokenizer {

    /** Per OpenAI's cookbook: every message costs 3 tokens of framing, a name 1 more, the reply is primed with 3. */
    private static final int TOKENS_PER_MESSAGE = 3;
    private static final int TOKENS_PER_NAME = 1;
    private static final int REPLY_PRIMING = 3;

    private final Encoding encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    public int count(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokens(text);
    }

    /**
     * Prompt tokens of a conversation, counted the way OpenAI's cookbook counts them for chat models; images, files
     * and audio as {@link ContentPart#estimatedTokens()}.
     */
    public int countPrompt(List<ProviderMessage> messages) {
        int tokens = REPLY_PRIMING;
        for (ProviderMessage m : messages) {
            tokens += TOKENS_PER_MESSAGE + count(m.role()) + count(m.content()) + count(m.toolCallId());
            for (ContentPart part : m.parts()) {
                tokens += part.estimatedTokens();
            }
            if (m.name() != null) {
                tokens += count(m.name()) + TOKENS_PER_NAME;
            }
        }
        return tokens;
    }

    /** The token ids of {@code text}. */
    public int[] encode(String text) {
        return encoding.encode(text).toArray();
    }

    /** Each token decoded on its own: the pieces concatenate back to {@code text} for plain ASCII text. */
    public List<String> pieces(int[] tokens) {
        List<String> pieces = new ArrayList<>(tokens.length);
        IntArrayList one = new IntArrayList(1);
        for (int token : tokens) {
            one.clear();
            one.add(token);
            pieces.add(encoding.decode(one));
        }
        return pieces;
    }
}
