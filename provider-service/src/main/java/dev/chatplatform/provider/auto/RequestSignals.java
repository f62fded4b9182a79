package dev.chatplatform.provider.auto;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The capabilities a request signals it wants. Deliberately simple and predictable (documented in the
 * README): {@code tools} when tools are offered or tool calls are in the history; {@code code} for a fenced
 * code block or typical source lines; {@code reasoning} for multi-step / proof cues.
 */
final class RequestSignals {

    static final String TOOLS = "tools";
    static final String CODE = "code";
    static final String REASONING = "reasoning";

    private static final Pattern CODE_LINE = Pattern.compile(
            "(?m)^\\s*(def |class |import |from \\S+ import |#include|public |private |function |const |let |fn |func |package |SELECT |INSERT |CREATE TABLE )"
                    + "|\\)\\s*\\{\\s*$|;\\s*$");
    private static final List<String> CODE_WORDS = List.of("stack trace", "stacktrace", "compile error", "refactor",
            "unit test", "regex", "write a function", "write code", "debug this", "this code");
    private static final List<String> REASONING_WORDS = List.of("step by step", "step-by-step", "prove ", "proof",
            "derive", "think through", "reason through", "multi-step", "explain why", "work out", "solve for",
            "first,", "trade-off", "tradeoff");

    private RequestSignals() {
    }

    static Set<String> of(AutoRequest request) {
        Set<String> wanted = new LinkedHashSet<>();
        if (request.toolsRequested()) {
            wanted.add(TOOLS);
        }
        String text = String.join("\n", request.texts());
        String lower = text.toLowerCase(Locale.ROOT);
        if (text.contains("```") || CODE_LINE.matcher(text).find() || CODE_WORDS.stream().anyMatch(lower::contains)) {
            wanted.add(CODE);
        }
        if (REASONING_WORDS.stream().anyMatch(lower::contains)) {
            wanted.add(REASONING);
        }
        return wanted;
    }
}
