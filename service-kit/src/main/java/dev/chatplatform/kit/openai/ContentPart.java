package dev.chatplatform.kit.openai;

/**
 * One part of a message's content.
 *
 * @param text   for {@link Kind#TEXT}: the text
 * @param url    for {@link Kind#IMAGE}: the image's URL or {@code data:} URL; for {@link Kind#FILE}: its
 *               {@code file_data} ({@code data:} URL or base64)
 * @param detail for {@link Kind#IMAGE}: {@code low}, {@code high} or {@code auto}; for {@link Kind#FILE}: its
 *               {@code file_id} when given instead of the data
 * @param name   for {@link Kind#FILE}: its {@code filename}, or null
 */
public record ContentPart(Kind kind, String text, String url, String detail, String name) {

    /** The part types of OpenAI's reference, each with the input modality a model must take to read it. */
    public enum Kind {
        TEXT("text", "text"), IMAGE("image_url", "image"), FILE("file", "file"), AUDIO("input_audio", "audio");

        private final String wireType;
        private final String modality;

        Kind(String wireType, String modality) {
            this.wireType = wireType;
            this.modality = modality;
        }

        public String wireType() {
            return wireType;
        }

        /** The input modality a model lists (in the catalog and {@code /v1/models}) when it reads this kind. */
        public String modality() {
            return modality;
        }
    }

    /** What OpenAI counts for an image at {@code detail: low}, and for a 1024x1024 image at high detail (85 + 4 x 170). */
    static final int LOW_DETAIL_IMAGE_TOKENS = 85;
    static final int HIGH_DETAIL_IMAGE_TOKENS = 765;

    /**
     * The input tokens a non-text part is counted as before a provider reports its own count (for the budget hold
     * and the simulated model): an image as OpenAI counts a 1024x1024 one (its size is not read), a file or audio
     * clip as one token per 4 bytes of its data (at least as much as a low-detail image). 0 for text: the caller's
     * tokenizer counts it.
     */
    public int estimatedTokens() {
        return switch (kind) {
            case TEXT -> 0;
            case IMAGE -> "low".equals(detail) ? LOW_DETAIL_IMAGE_TOKENS : HIGH_DETAIL_IMAGE_TOKENS;
            case FILE, AUDIO -> Math.max(LOW_DETAIL_IMAGE_TOKENS, url == null ? 0 : url.length() * 3 / 4 / 4);
        };
    }

    /** For an inline {@code data:<media type>;base64,<data>} URL: its media type; null for any other URL. */
    public String dataMediaType() {
        int comma = inlineComma();
        return comma < 0 ? null : url.substring(5, comma - 7);
    }

    /** For an inline {@code data:<media type>;base64,<data>} URL: its base64 data; null for any other URL. */
    public String dataBase64() {
        int comma = inlineComma();
        return comma < 0 ? null : url.substring(comma + 1);
    }

    private int inlineComma() {
        if (url == null || !url.startsWith("data:")) {
            return -1;
        }
        int comma = url.indexOf(',');
        return comma > 12 && url.startsWith(";base64", comma - 7) ? comma : -1;
    }

    public static ContentPart text(String text) {
        return new ContentPart(Kind.TEXT, text, null, null, null);
    }
}
