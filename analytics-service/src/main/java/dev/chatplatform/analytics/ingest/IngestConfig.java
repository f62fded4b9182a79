package dev.chatplatform.analytics.ingest;

import dev.chatplatform.contracts.billing.Topics;
import dev.chatplatform.contracts.event.EventCatalog;
import dev.chatplatform.kit.events.EventSubscription;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code analytics-service.rollups}: every event type of {@link EventCatalog} (read at start-up, so a type added to
 * the contracts is consumed by the next build; their topics are every topic but the dead-letter ones) and, counted
 * only, types on those topics that this build does not know yet ({@code withUnknownTypes}), a whole poll
 * at a time in one transaction (the commit is the dominant cost of an event). The kit dead-letters a record that
 * can never be applied (also one breaking {@link EventValidation}, or refused by a constraint: only that one, the
 * others of the poll are applied) and retries anything else (the database is down) until it succeeds; the
 * rolled-back batch is applied again from scratch, so nothing is counted twice. Partitions are spread over the
 * group's members, so analytics scales out by adding replicas (up to the partition count) or raising
 * {@code spring.kafka.listener.concurrency}.
 */
@Configuration(proxyBeanMethods = false)
class IngestConfig {

    @Bean
    EventSubscription rollupsSubscription(EventIngestService ingest) {
        return EventSubscription.batch("rollups", EventCatalog.ALL, ingest::apply)
                .withUnknownTypes()
                .checkedBy(event -> EventValidation.validated(event.data()))
                .onTombstone(Topics.ACCOUNTS, (topic, accountId) -> ingest.accountDeleted(accountId));
    }
}
