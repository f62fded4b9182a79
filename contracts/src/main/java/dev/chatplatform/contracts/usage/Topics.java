package dev.chatplatform.contracts.usage;

/** Topics written by chat-service about usage. Keys are account ids. */
public final class Topics {

    /** One {@link UsageRecorded} per completed (or partially completed) model request. */
    public static final String USAGE = "usage.v1";

    private Topics() {
    }
}
