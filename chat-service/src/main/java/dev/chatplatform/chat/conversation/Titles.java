package dev.chatplatform.chat.conversation;

/**
 * The automatic title: the first user message itself, on one line, cut at a word boundary. No model call,
 * so it costs nothing, bills nothing and is there as soon as the first exchange is stored.
 */
final class Titles {

    private Titles() {
    }

    static String fromFirstMessage(String content, int maxChars) {
        String line = content.strip().replaceAll("\\s+", " ");
        if (line.isEmpty()) {
            return null;
        }
        if (line.length() <= maxChars) {
            return line;
        }
        String cut = line.substring(0, maxChars - 1);
        int space = cut.lastIndexOf(' ');
        if (space >= maxChars / 2) {
            cut = cut.substring(0, space);
        }
        return cut.stripTrailing() + "…";
    }
}
