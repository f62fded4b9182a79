package dev.chatplatform.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Counts of work that do not depend on how loaded the machine is: committed PostgreSQL transactions per
 * database ({@code pg_stat_database.xact_commit}) and records written per Kafka topic, internal ones too
 * ({@code __consumer_offsets}: offset commits; end offsets, so transaction markers count too). Divided by the requests answered, they say what one
 * request makes the platform do, exactly, where CPU and latency figures are noisy.
 */
final class PlatformCounters implements AutoCloseable {

    private final Connection postgres;
    private final Admin kafka;

    PlatformCounters(String postgresJdbcUrl, String kafkaBootstrapServers) throws SQLException {
        this.postgres = DriverManager.getConnection(postgresJdbcUrl, "postgres", "postgres");
        this.kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrapServers));
    }

    /** {@code db:<name>} → committed transactions and {@code topic:<name>} → records, so far. */
    Map<String, Long> snapshot() throws SQLException, ExecutionException, InterruptedException {
        Map<String, Long> counts = new TreeMap<>();
        // statistics reach pg_stat_database when a backend reports them (at most every second while busy)
        try (var statement = postgres.createStatement()) {
            statement.execute("select pg_stat_clear_snapshot()");
            try (ResultSet rs = statement.executeQuery(
                    "select datname, xact_commit from pg_stat_database where datname not in ('postgres', 'template0', 'template1')")) {
                while (rs.next()) {
                    counts.put("db:" + rs.getString(1), rs.getLong(2));
                }
            }
        }
        var topics = kafka.describeTopics(kafka.listTopics(new ListTopicsOptions().listInternal(true)).names().get()).allTopicNames().get();
        Map<TopicPartition, OffsetSpec> latest = topics.values().stream()
                .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                .collect(Collectors.toMap(Function.identity(), tp -> OffsetSpec.latest()));
        kafka.listOffsets(latest).all().get()
                .forEach((tp, info) -> counts.merge("topic:" + tp.topic(), info.offset(), Long::sum));
        return counts;
    }

    static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> spent = new TreeMap<>();
        after.forEach((k, v) -> {
            long d = v - before.getOrDefault(k, 0L);
            if (d > 0) {
                spent.put(k, d);
            }
        });
        return spent;
    }

    @Override
    public void close() throws SQLException {
        kafka.close();
        postgres.close();
    }
}
