package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.EventCatalog;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaAdmin;

import java.util.Map;
import java.util.Optional;

/**
 * Declares every topic of the event catalog, so whichever service starts first creates what is missing
 * (partitions and replication from the broker's defaults; state topics compacted). Existing topics are
 * left as they are.
 */
@AutoConfiguration
public class TopicsAutoConfiguration {

    @Bean
    KafkaAdmin.NewTopics platformTopics() {
        return new KafkaAdmin.NewTopics(EventCatalog.TOPICS.stream().map(t -> {
            NewTopic topic = new NewTopic(t.name(), Optional.empty(), Optional.empty());
            if (t.compacted()) {
                topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            }
            return topic;
        }).toArray(NewTopic[]::new));
    }
}
