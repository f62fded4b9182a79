package dev.chatplatform.billing.metering;

import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.events.EventSubscription;
import dev.chatplatform.kit.events.InboundEvent;
import dev.chatplatform.kit.events.UnreadableEventException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code billing-service.metering}: records each {@code usage.recorded.v1} of {@code usage.v1} once (by event id) in
 * {@code metered_usage}, a poll at a time in one transaction; {@link MeterBatchReporter} reports it to Stripe in
 * batches afterwards; embeddings usage ({@code kind} EMBEDDINGS: input tokens only) is recorded with its kind and not
 * reported on the chat tokens meter (see {@link MeteringRepository#lockUnbatched}). A record that is not a valid usage
 * event ({@link UsageRecorded#violation}: negative tokens among others) is dead-lettered to {@code usage.v1.dlt}; anything
 * else (the database is down) is retried until it is recorded, so no billable token is ever skipped.
 */
@Configuration(proxyBeanMethods = false)
class MeteringEventsConfig {

    @Bean
    EventSubscription meteringSubscription(MeteringRepository metering) {
        return EventSubscription.batch("metering", UsageRecorded.TYPE, events -> {
            for (InboundEvent<UsageRecorded> event : events) {
                UsageRecorded usage = event.data();
                metering.record(event.id(), usage.accountId(), usage.totalTokens(), usage.kind(), usage.occurredAt());
            }
        }).checkedBy(event -> UnreadableEventException.refuse(UsageRecorded.TYPE.name(),
                ((UsageRecorded) event.data()).violation()));
    }
}
