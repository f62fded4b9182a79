package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The records this service's consumers could never apply, kept in its own {@code dead_letters} table (kit migration
 * {@code V0_4}) when they are copied to {@code <topic>.dlt}: key, value and headers as they were, the consumer, its
 * reason. An operator sees them and applies one again through the same consumer once its cause is fixed
 * ({@link #retry}; the admin API is {@code kit.deadletters}), without reading the dead-letter topic or writing the original one (the Kafka
 * ACLs let a service do neither).
 */
public class DeadLetters {

    /** A dead letter not (yet) applied. */
    static final String DEAD = "dead";
    /** A dead letter a retry applied. */
    static final String APPLIED = "applied";

    private static final TypeReference<List<Map<String, String>>> HEADERS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final EventListeners consumers;

    DeadLetters(JdbcClient jdbc, JsonMapper json, Clock clock, EventListeners consumers) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        this.consumers = consumers;
    }

    /** What a {@link #retry} came to. */
    public sealed interface Retry {
        /** The consumer applied it (or had applied it already: its effects are idempotent). */
        record Applied(View deadLetter) implements Retry {
        }

        /** The consumer refused it for good again, for {@code reason}; it stays dead with that reason. */
        record Refused(String reason) implements Retry {
        }

        /** It could not be applied now (the database is away...): nothing changed, try again later. */
        record Unavailable(String reason) implements Retry {
        }

        /** The consumer that refused it is not in this version of the service. */
        record NoConsumer(String consumer) implements Retry {
        }
    }

    /**
     * Hands {@code deadLetter} (as {@link #find} read it) to the consumer that refused it, exactly as a poll would:
     * checked, applied in one transaction with its processed-event row, counted. Run it once its cause is fixed (a
     * new version deployed, the data it needed is there). The caller records the admin action.
     */
    public Retry retry(View deadLetter) {
        long id = deadLetter.id();
        Optional<SubscriptionListener> listener = consumers.listener(deadLetter.consumer());
        if (listener.isEmpty()) {
            return new Retry.NoConsumer(deadLetter.consumer());
        }
        try {
            listener.get().onMessage(List.of(consumerRecord(id)));
        } catch (RuntimeException failure) {
            String reason = Failures.reason(failure);
            if (!Failures.isPermanent(failure)) {
                return new Retry.Unavailable(reason);
            }
            refusedAgain(id, reason);
            return new Retry.Refused(reason);
        }
        applied(id);
        return new Retry.Applied(find(id).orElseThrow());
    }

    /**
     * One dead letter as the admin API shows it.
     *
     * @param state   {@code dead} or {@code applied} (by a retry)
     * @param reason  why the consumer refused it (the last retry's reason when a retry was refused too)
     * @param value   the record's value as it was (an event's JSON, or whatever made it unreadable)
     */
    public record View(long id, String consumer, String topic, int partition, long offset, String key, String value,
                       String eventId, String eventType, String reason, Instant deadLetteredAt, String state,
                       int retries, Instant lastRetryAt) {
    }

    /** Keeps {@code record}, refused for good by {@code consumer}; a second call for the same record changes nothing. */
    void record(ConsumerRecord<?, ?> record, String consumer, String reason) {
        List<Map<String, String>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(Map.of("name", header.key(),
                    "value", Base64.getEncoder().encodeToString(header.value() == null ? new byte[0] : header.value())));
        }
        jdbc.sql("""
                        insert into dead_letters (consumer, topic, record_partition, record_offset, record_key,
                            record_value, headers, event_id, event_type, reason, dead_lettered_at)
                        values (:consumer, :topic, :partition, :offset, :key, :value, cast(:headers as jsonb), :eventId,
                            :eventType, :reason, :at)
                        on conflict (consumer, topic, record_partition, record_offset) do nothing""")
                .param("consumer", consumer)
                .param("topic", record.topic())
                .param("partition", record.partition())
                .param("offset", record.offset())
                .param("key", text(record.key()))
                .param("value", text(record.value()))
                .param("headers", json.writeValueAsString(headers))
                .param("eventId", EventReader.optionalHeader(record, CloudEventHeaders.ID))
                .param("eventType", EventReader.optionalHeader(record, CloudEventHeaders.TYPE))
                .param("reason", reason)
                .param("at", Timestamp.from(clock.instant()))
                .update();
    }

    /** Newest first; {@code state} and {@code consumer} null for all; {@code afterId} the last id of the previous page. */
    public List<View> list(String state, String consumer, Long afterId, int limit) {
        return jdbc.sql("""
                        select * from dead_letters
                        where (cast(:state as varchar) is null or state = :state)
                          and (cast(:consumer as varchar) is null or consumer = :consumer)
                          and (cast(:after as bigint) is null or id < :after)
                        order by id desc limit :limit""")
                .param("state", state)
                .param("consumer", consumer)
                .param("after", afterId)
                .param("limit", limit)
                .query(DeadLetters::view)
                .list();
    }

    /** How many are {@code dead}, by consumer. */
    public Map<String, Long> deadByConsumer() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql("select consumer, count(*) as n from dead_letters where state = 'dead' group by consumer")
                .query(rs -> {
                    counts.put(rs.getString("consumer"), rs.getLong("n"));
                });
        return counts;
    }

    public Optional<View> find(long id) {
        return jdbc.sql("select * from dead_letters where id = :id").param("id", id).query(DeadLetters::view).optional();
    }

    /** The record as the consumer first got it, to hand it over again. */
    private ConsumerRecord<String, String> consumerRecord(long id) {
        return jdbc.sql("select * from dead_letters where id = :id").param("id", id).query((rs, n) -> {
            RecordHeaders headers = new RecordHeaders();
            for (Map<String, String> header : json.readValue(rs.getString("headers"), HEADERS)) {
                headers.add(new RecordHeader(header.get("name"), Base64.getDecoder().decode(header.get("value"))));
            }
            return new ConsumerRecord<>(rs.getString("topic"), rs.getInt("record_partition"),
                    rs.getLong("record_offset"), ConsumerRecord.NO_TIMESTAMP, TimestampType.NO_TIMESTAMP_TYPE,
                    ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE, rs.getString("record_key"),
                    rs.getString("record_value"), headers, Optional.empty());
        }).single();
    }

    private void applied(long id) {
        jdbc.sql("update dead_letters set state = 'applied', retries = retries + 1, last_retry_at = :at where id = :id")
                .param("at", Timestamp.from(clock.instant()))
                .param("id", id)
                .update();
    }

    private void refusedAgain(long id, String reason) {
        jdbc.sql("update dead_letters set reason = :reason, retries = retries + 1, last_retry_at = :at where id = :id")
                .param("reason", reason)
                .param("at", Timestamp.from(clock.instant()))
                .param("id", id)
                .update();
    }

    private static View view(ResultSet rs, int row) throws SQLException {
        Timestamp retried = rs.getTimestamp("last_retry_at");
        return new View(rs.getLong("id"), rs.getString("consumer"), rs.getString("topic"),
                rs.getInt("record_partition"), rs.getLong("record_offset"), rs.getString("record_key"),
                rs.getString("record_value"), rs.getString("event_id"), rs.getString("event_type"),
                rs.getString("reason"), rs.getTimestamp("dead_lettered_at").toInstant(), rs.getString("state"),
                rs.getInt("retries"), retried == null ? null : retried.toInstant());
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
