package dev.chatplatform.analytics.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import java.util.List;

/**
 * One listener on every topic of the event catalog (consumer group = the application name). Partitions are
 * spread over the group's members, so analytics scales out by adding replicas (up to the partition count)
 * or raising {@code spring.kafka.listener.concurrency}.
 */
@Component
class AnalyticsEventListener {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsEventListener.class);

    private final EventIngestService ingest;

    AnalyticsEventListener(EventIngestService ingest) {
        this.ingest = ingest;
    }

    /** One poll at a time (up to {@code spring.kafka.consumer.max-poll-records}), applied in one transaction. */
    @KafkaListener(id = "analytics", idIsGroup = false, topics = "#{@analyticsTopics}", batch = "true")
    void on(List<ConsumerRecord<String, String>> records) {
        int applied = ingest.apply(records);
        log.debug("applied {} of {} records", applied, records.size());
    }
}
