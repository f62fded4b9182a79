package dev.chatplatform.contracts.event;

/**
 * Kafka header names of the CloudEvents Kafka protocol binding (binary content mode): the envelope
 * attributes travel as headers, the value is the event's JSON data.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String TIME = "ce_time";
    /** The account the event is about. */
    public static final String SUBJECT = "ce_subject";
    /** W3C trace context of the request that caused the event (CloudEvents distributed tracing extension). */
    public static final String TRACEPARENT = "ce_traceparent";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_VALUE = "1.0";
    public static final String JSON = "application/json";

    private CloudEventHeaders() {
    }
}
