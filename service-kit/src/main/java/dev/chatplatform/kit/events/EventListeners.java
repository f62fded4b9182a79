package dev.chatplatform.kit.events;

import dev.chatplatform.contracts.event.TopicDefinition;
import dev.chatplatform.kit.config.PlatformProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.annotation.KafkaListenerConfigurer;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.config.KafkaListenerEndpoint;
import org.springframework.kafka.config.KafkaListenerEndpointRegistrar;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.springframework.kafka.support.converter.MessageConverter;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.backoff.ExponentialBackOff;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Runs every {@link EventSubscription} bean as a Kafka listener container (registered with Spring Kafka's
 * listener registry, so Boot's {@code spring.kafka.listener.*} settings, observation and graceful shutdown apply),
 * named {@code <spring.application.name>.<purpose>}: listener id = consumer group = client id prefix =
 * {@code consumer} metric tag. Each container gets its own error handler ({@link #errorHandler}).
 */
final class EventListeners implements KafkaListenerConfigurer {

    /** Dead-letter header: why the record can never be applied. */
    static final String REASON_HEADER = "x-dlt-reason";
    /** Dead-letter header: the consumer that refused it (also in Spring Kafka's kafka_dlt-original-consumer-group). */
    static final String CONSUMER_HEADER = "x-dlt-consumer";

    private final String service;
    private final List<EventSubscription> subscriptions;
    private final EventReader reader;
    private final TransactionTemplate tx;
    private final KafkaOperations<String, String> kafka;
    private final MeterRegistry meters;
    private final PlatformProperties.Backoff backoff;
    private final ObjectProvider<DeadLetters> deadLetterStore;
    private final Map<String, SubscriptionListener> listeners = new ConcurrentHashMap<>();

    /** @param deadLetterStore where dead letters are also kept (services with a database; none without) */
    EventListeners(String service, List<EventSubscription> subscriptions, EventReader reader, TransactionTemplate tx,
                   KafkaOperations<String, String> kafka, MeterRegistry meters, PlatformProperties.Backoff backoff,
                   ObjectProvider<DeadLetters> deadLetterStore) {
        this.service = service;
        this.deadLetterStore = deadLetterStore;
        this.subscriptions = subscriptions;
        this.reader = reader;
        this.tx = tx;
        this.kafka = kafka;
        this.meters = meters;
        this.backoff = backoff;
    }

    @Override
    public void configureKafkaListeners(KafkaListenerEndpointRegistrar registrar) {
        Set<String> ids = new HashSet<>();
        for (EventSubscription subscription : subscriptions) {
            String id = service + "." + subscription.purpose();
            if (!ids.add(id)) {
                throw new IllegalStateException("two event subscriptions are named " + id);
            }
            ConsumedEvents telemetry = new ConsumedEvents(id, meters);
            SubscriptionListener listener = new SubscriptionListener(subscription, reader, tx, telemetry);
            listeners.put(id, listener);
            registrar.registerEndpoint(new Endpoint(id, subscription, listener, errorHandler(telemetry)));
        }
    }

    /** The listener of consumer {@code id} ({@code <service>.<purpose>}), to hand it a dead letter again. */
    Optional<SubscriptionListener> listener(String id) {
        return Optional.ofNullable(listeners.get(id));
    }

    /**
     * Permanent failures ({@link Failures#isPermanent}) are copied to {@code <topic>.dlt} at once — key, value and
     * headers as they were, plus {@value #REASON_HEADER}, {@value #CONSUMER_HEADER} and Spring Kafka's
     * {@code kafka_dlt-*} headers (no stack trace) — and kept in the service's {@link DeadLetters} (when it has a
     * database), then committed past. Every other failure is retried with a
     * back-off that doubles up to {@code platform.events.backoff.max}, without limit: the record is never skipped
     * and its offset never committed. The back-off sleeps stop as soon as the container stops, so a record that
     * keeps failing cannot hold up shutdown; its offset was not committed, so it comes again after the restart. A
     * dead letter that cannot be written (the broker is away) is retried like a transient failure.
     */
    DefaultErrorHandler errorHandler(ConsumedEvents telemetry) {
        DeadLetterPublishingRecoverer deadLetters = new DeadLetterPublishingRecoverer(kafka,
                (record, failure) -> new TopicPartition(TopicDefinition.deadLetterTopicOf(record.topic()), -1));
        deadLetters.excludeHeader(HeadersToAdd.EX_STACKTRACE);
        deadLetters.addHeadersFunction((record, failure) -> {
            RecordHeaders headers = new RecordHeaders();
            headers.add(REASON_HEADER, Failures.reason(failure).getBytes(StandardCharsets.UTF_8));
            headers.add(CONSUMER_HEADER, telemetry.consumer().getBytes(StandardCharsets.UTF_8));
            return headers;
        });
        ExponentialBackOff backOff = new ExponentialBackOff(backoff.initial().toMillis(), 2.0);
        backOff.setMaxInterval(backoff.max().toMillis());
        DeadLetters store = deadLetterStore.getIfAvailable();
        DefaultErrorHandler handler = new DefaultErrorHandler((record, failure) -> {
            if (store != null) {
                store.record(record, telemetry.consumer(), Failures.reason(failure));
            }
            deadLetters.accept(record, failure);
            telemetry.deadLettered(record, TopicDefinition.deadLetterTopicOf(record.topic()), Failures.reason(failure));
        }, backOff);
        handler.addNotRetryableExceptions(UnreadableEventException.class,
                org.springframework.dao.DataIntegrityViolationException.class);
        handler.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception failure, int attempt) {
                if (!Failures.isPermanent(failure)) {
                    telemetry.retrying(record, attempt, Failures.reason(failure));
                }
            }

            @Override
            public void recoveryFailed(ConsumerRecord<?, ?> record, Exception original, Exception failure) {
                telemetry.retrying(record, 0, "could not write the dead letter (" + Failures.reason(failure)
                        + ") of: " + Failures.reason(original));
            }
        });
        // the container would log each retry's "seek to current" at ERROR with the whole batch; ConsumedEvents
        // logs one line per failed attempt instead
        handler.setLogLevel(KafkaException.Level.DEBUG);
        return handler;
    }

    /** One subscription as a listener endpoint: its id, group, topics, listener and error handler. */
    private record Endpoint(String id, EventSubscription subscription, SubscriptionListener listener,
                            DefaultErrorHandler errorHandler)
            implements KafkaListenerEndpoint {

        @Override
        public String getId() {
            return id;
        }

        @Override
        public String getGroupId() {
            return id;
        }

        @Override
        public String getGroup() {
            return null;
        }

        @Override
        public Collection<String> getTopics() {
            return subscription.topics();
        }

        @Override
        public TopicPartitionOffset[] getTopicPartitionsToAssign() {
            return null;
        }

        @Override
        public Pattern getTopicPattern() {
            return null;
        }

        @Override
        public String getClientIdPrefix() {
            return id;
        }

        @Override
        public Integer getConcurrency() {
            return null;
        }

        @Override
        public Boolean getAutoStartup() {
            return null;
        }

        @Override
        public Boolean getBatchListener() {
            return true;
        }

        @Override
        public void setupListenerContainer(MessageListenerContainer container, MessageConverter messageConverter) {
            container.setupMessageListener(listener);
        }

        @Override
        public ContainerPostProcessor<?, ?, ?> getContainerPostProcessor() {
            return (ContainerPostProcessor<Object, Object, AbstractMessageListenerContainer<Object, Object>>)
                    container -> {
                        container.setCommonErrorHandler(errorHandler);
                        // a per-event consumer's records each continue their request's trace (as they did as
                        // record listeners): a span per record, without a scope around the poll's transaction
                        container.getContainerProperties().setRecordObservationsInBatch(!subscription.isBatch());
                    };
        }

        @Override
        public boolean isSplitIterables() {
            return true;
        }

        @Override
        public String getAckMode() {
            return null;
        }
    }
}
