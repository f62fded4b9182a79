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

    public static ContentPart text(String text) {
        return new ContentPart(Kind.TEXT, text, null, null, null);
    }
}
