package dev.chatplatform.launcher;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's Kafka and PostgreSQL keep their data across a restart on the same data folder. */
class LocalInfrastructureTest {

    @TempDir
    Path data;

    @Test
    void kafkaTopicsAndPostgresRowsSurviveARestart() throws Exception {
        int kafkaPort = freePort();
        int pgPort = freePort();

        try (LocalPostgres pg = LocalPostgres.start(data, pgPort); LocalKafka kafka = LocalKafka.start(data, kafkaPort)) {
            pg.ensureDatabase("sample");
            pg.ensureDatabase("sample");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("sample"), "postgres", "postgres");
                 Statement s = c.createStatement()) {
                s.execute("create table notes (body text)");
                s.execute("insert into notes values ('kept')");
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("sample.v1", 1, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<String, String>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>("sample.v1", "k", "kept")).get();
            }
        }

        try (LocalPostgres pg = LocalPostgres.start(data, pgPort); LocalKafka kafka = LocalKafka.start(data, kafkaPort)) {
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("sample"), "postgres", "postgres");
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select body from notes")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("kept");
            }
            try (var consumer = new KafkaConsumer<String, String>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
                TopicPartition partition = new TopicPartition("sample.v1", 0);
                consumer.assign(Set.of(partition));
                consumer.seekToBeginning(Set.of(partition));
                List<String> values = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 20_000;
                while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
                assertThat(values).containsExactly("kept");
            }
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
