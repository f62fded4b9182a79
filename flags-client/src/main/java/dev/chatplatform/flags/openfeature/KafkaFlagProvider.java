package dev.chatplatform.flags.openfeature;

import dev.chatplatform.contracts.rollout.Topics;
import dev.chatplatform.flags.Evaluation;
import dev.chatplatform.flags.EvaluationReason;
import dev.chatplatform.flags.FlagContext;
import dev.chatplatform.flags.FlagStore;
import dev.chatplatform.flags.Overrides;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.EventProvider;
import dev.openfeature.sdk.Metadata;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.ProviderEventDetails;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenFeature provider evaluating platform flags locally from {@code flags.v1}: no network call per evaluation,
 * changes visible as soon as the reader polls them (well under a second), the last known state kept when
 * rollout-service or Kafka is down, and the environment kill switch ({@link Overrides}) honoured.
 *
 * <p>Context mapping: the targeting key is the account id; attribute {@code sessionId} is the session;
 * every other attribute (string, number or boolean, as text) is matched by segments.
 * Boolean evaluations answer whether the caller is included; string evaluations answer the variant name.
 *
 * <pre>{@code
 * OpenFeatureAPI.getInstance().setProviderAndWait(new KafkaFlagProvider(System.getenv("KAFKA_BOOTSTRAP_SERVERS")));
 * String route = OpenFeatureAPI.getInstance().getClient()
 *         .getStringValue("hybrid-routing", "legacy", new ImmutableContext(accountId));
 * }</pre>
 */
public class KafkaFlagProvider extends EventProvider {

    public static final String NAME = "chat-platform-flags";
    public static final String SESSION_ID = "sessionId";

    private static final Logger log = LoggerFactory.getLogger(KafkaFlagProvider.class);

    private final FlagStore store;
    private final FlagsTopicReader reader;
    private final Overrides overrides;
    private final Duration initTimeout;

    /** Reads {@code flags.v1} from {@code bootstrapServers}, with the kill switch from this process's environment. */
    public KafkaFlagProvider(String bootstrapServers) {
        this(bootstrapServers, Overrides.fromEnvironment(), Duration.ofSeconds(10));
    }

    public KafkaFlagProvider(String bootstrapServers, Overrides overrides, Duration initTimeout) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), overrides, initTimeout);
    }

    /**
     * @param consumerConfig the application's Kafka consumer settings ({@code bootstrap.servers}, security and
     *                       SASL credentials where the broker requires them); a group id is ignored
     */
    public KafkaFlagProvider(Map<String, ?> consumerConfig, Overrides overrides, Duration initTimeout) {
        this.store = new FlagStore();
        this.reader = new FlagsTopicReader(consumerConfig, Topics.FLAGS, store);
        this.overrides = overrides;
        this.initTimeout = initTimeout;
        store.onChange(key -> emitProviderConfigurationChanged(
                ProviderEventDetails.builder().flagsChanged(List.of(key)).message("flag " + key + " changed").build()));
    }

    @Override
    public Metadata getMetadata() {
        return () -> NAME;
    }

    /** Starts reading and waits until the topic's current content is loaded (or the timeout passes). */
    @Override
    public void initialize(EvaluationContext evaluationContext) throws Exception {
        reader.start();
        if (!reader.awaitCaughtUp(initTimeout)) {
            log.warn("flags: not caught up with flags.v1 after {}; evaluating what is known so far", initTimeout);
        }
    }

    @Override
    public void shutdown() {
        reader.close();
        super.shutdown();
    }

    /** The local store (for diagnostics and tests). */
    public FlagStore store() {
        return store;
    }

    /** Evaluates without going through the OpenFeature client (what the provider methods use). */
    public Evaluation evaluate(String flagKey, EvaluationContext context) {
        return store.evaluate(flagKey, toFlagContext(context), overrides);
    }

    @Override
    public ProviderEvaluation<Boolean> getBooleanEvaluation(String key, Boolean defaultValue, EvaluationContext ctx) {
        Evaluation e = evaluate(key, ctx);
        if (e.reason() == EvaluationReason.FLAG_NOT_FOUND) {
            return notFound(key, defaultValue);
        }
        return ProviderEvaluation.<Boolean>builder().value(e.on()).variant(e.variant()).reason(reason(e)).build();
    }

    @Override
    public ProviderEvaluation<String> getStringEvaluation(String key, String defaultValue, EvaluationContext ctx) {
        Evaluation e = evaluate(key, ctx);
        if (e.reason() == EvaluationReason.FLAG_NOT_FOUND) {
            return notFound(key, defaultValue);
        }
        return ProviderEvaluation.<String>builder().value(e.variant()).variant(e.variant()).reason(reason(e)).build();
    }

    @Override
    public ProviderEvaluation<Integer> getIntegerEvaluation(String key, Integer defaultValue, EvaluationContext ctx) {
        return typeMismatch(key, defaultValue);
    }

    @Override
    public ProviderEvaluation<Double> getDoubleEvaluation(String key, Double defaultValue, EvaluationContext ctx) {
        return typeMismatch(key, defaultValue);
    }

    @Override
    public ProviderEvaluation<Value> getObjectEvaluation(String key, Value defaultValue, EvaluationContext ctx) {
        return typeMismatch(key, defaultValue);
    }

    static FlagContext toFlagContext(EvaluationContext ctx) {
        if (ctx == null) {
            return new FlagContext(null, null, Map.of());
        }
        Map<String, String> attributes = new HashMap<>();
        String session = null;
        for (Map.Entry<String, Value> entry : ctx.asMap().entrySet()) {
            Value v = entry.getValue();
            if (v == null || v.isNull() || v.isStructure() || v.isList()) {
                continue;
            }
            String text = v.isString() ? v.asString() : String.valueOf(v.asObject());
            if (SESSION_ID.equals(entry.getKey())) {
                session = text;
            } else {
                attributes.put(entry.getKey(), text);
            }
        }
        String account = ctx.getTargetingKey();
        return new FlagContext(account == null || account.isBlank() ? null : account, session, attributes);
    }

    private static String reason(Evaluation e) {
        return switch (e.reason()) {
            case ENV_KILLED, KILLED, DISABLED -> Reason.DISABLED.name();
            case IN_ROLLOUT, OUT_OF_ROLLOUT -> Reason.SPLIT.name();
            case ALLOW_LISTED, DENY_LISTED, SEGMENT_MISMATCH -> Reason.TARGETING_MATCH.name();
            case FLAG_NOT_FOUND -> Reason.ERROR.name();
        };
    }

    private static <T> ProviderEvaluation<T> notFound(String key, T defaultValue) {
        return ProviderEvaluation.<T>builder().value(defaultValue).reason(Reason.ERROR.name())
                .errorCode(ErrorCode.FLAG_NOT_FOUND).errorMessage("unknown flag " + key).build();
    }

    private static <T> ProviderEvaluation<T> typeMismatch(String key, T defaultValue) {
        return ProviderEvaluation.<T>builder().value(defaultValue).reason(Reason.ERROR.name())
                .errorCode(ErrorCode.TYPE_MISMATCH)
                .errorMessage("platform flags are boolean or string (variant name) flags: " + key).build();
    }
}
