package dev.chatplatform.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one Kafka broker and the one PostgreSQL server of this test JVM, started on first use and stopped
 * when the JVM exits.
 */
public final class SharedInfrastructure {

    private static EmbeddedKafkaBroker kafka;
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger databases = new AtomicInteger();

    private SharedInfrastructure() {
    }

    /** A real KRaft broker with three partitions per topic and auto-created topics disabled, like production. */
    public static synchronized EmbeddedKafkaBroker kafka() {
        if (kafka == null) {
            EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 3);
            broker.brokerProperties(Map.of(
                    "auto.create.topics.enable", "false",
                    "num.partitions", "3",
                    "group.initial.rebalance.delay.ms", "0",
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "offsets.topic.replication.factor", "1"));
            broker.afterPropertiesSet();
            kafka = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
        }
        return kafka;
    }

    public static String kafkaBootstrapServers() {
        return kafka().getBrokersAsString();
    }

    public static synchronized EmbeddedPostgres postgres() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return postgres;
    }

    /** Creates a fresh, empty database and returns its JDBC URL (user and password: postgres). */
    public static String newDatabase(String prefix) {
        String name = (prefix.replaceAll("[^a-z0-9_]", "_") + "_" + databases.incrementAndGet()).toLowerCase();
        try (Connection c = postgres().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return postgres().getJdbcUrl("postgres", name);
    }
}
