package dev.chatplatform.bench;

import dev.chatplatform.contracts.rollout.FlagChanged;
import dev.chatplatform.contracts.rollout.FlagChanged.Segment;
import dev.chatplatform.contracts.rollout.FlagChanged.Variant;
import dev.chatplatform.flags.Evaluation;
import dev.chatplatform.flags.FlagContext;
import dev.chatplatform.flags.FlagStore;
import dev.chatplatform.flags.Overrides;
import dev.chatplatform.flags.openfeature.KafkaFlagProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.OpenFeatureAPI;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cost of evaluating a flag locally, as every service does per request through flags-client (the
 * {@code FlagStore} lookup plus {@code CompiledFlag.evaluate}: Unleash-compatible murmur3 bucketing, segments,
 * weighted variants). Each evaluation takes the next of 1024 account ids, so the buckets vary as in production.
 * Run: {@code ./mvnw -Pbench -DskipTests verify -pl bench -Dbench.class=dev.chatplatform.bench.FlagEvaluationBenchmark}
 * (1 fork, 3 warm-up and 5 measured iterations of 1 s; any argument is passed to JMH instead, e.g. {@code -h}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FlagEvaluationBenchmark {

    private static final int ACCOUNTS = 1024;

    private final FlagStore store = new FlagStore();
    private final Overrides overrides = Overrides.NONE;
    private FlagContext[] contexts;
    private ImmutableContext[] openFeatureContexts;
    private Client client;
    private int next;

    @Setup
    public void setUp() {
        store.apply(flag("boolean-rollout", FlagChanged.Kind.BOOLEAN, List.of(new Variant("on", 1)), "off",
                List.of(), 30));
        store.apply(flag("multi-variant", FlagChanged.Kind.MULTIVARIANT,
                List.of(new Variant("fallback-v2", 500), new Variant("fallback-v3", 300), new Variant("auto", 200)),
                "legacy", List.of(new Segment("tier", Segment.Operator.IN, List.of("pro", "team")),
                        new Segment("size", Segment.Operator.NOT_IN, List.of("test"))), 60));
        contexts = new FlagContext[ACCOUNTS];
        openFeatureContexts = new ImmutableContext[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++) {
            contexts[i] = new FlagContext("acc-" + Integer.toHexString(i * 7919), null,
                    Map.of("tier", i % 3 == 0 ? "free" : "pro", "size", i % 5 == 0 ? "test" : "small"));
            openFeatureContexts[i] = new ImmutableContext(contexts[i].accountId());
        }
        // the OpenFeature path provider-service takes, with the store filled by hand instead of from Kafka
        KafkaFlagProvider provider = new KafkaFlagProvider("localhost:1", Overrides.NONE, Duration.ZERO) {
            @Override
            public void initialize(EvaluationContext context) {
            }
        };
        store.all().forEach(f -> provider.store().apply(f.state()));
        OpenFeatureAPI api = new OpenFeatureAPI() {
        };
        api.setProviderAndWait("bench", provider);
        client = api.getClient("bench");
    }

    private FlagContext nextContext() {
        next = (next + 1) & (ACCOUNTS - 1);
        return contexts[next];
    }

    /** Boolean flag, 30 % sticky rollout: a murmur3 bucket per evaluation. */
    @Benchmark
    public Evaluation booleanPercentage() {
        return store.evaluate("boolean-rollout", nextContext(), overrides);
    }

    /** Three weighted variants behind two segments (tier IN, size NOT_IN) and a 60 % rollout. */
    @Benchmark
    public Evaluation multiVariantWithSegments() {
        return store.evaluate("multi-variant", nextContext(), overrides);
    }

    /** A flag this service has never heard of (FLAG_NOT_FOUND: the caller's default). */
    @Benchmark
    public Evaluation miss() {
        return store.evaluate("no-such-flag", nextContext(), overrides);
    }

    /** The boolean flag through the OpenFeature client (hooks, details object), as provider-service evaluates it. */
    @Benchmark
    public FlagEvaluationDetails<Boolean> openFeatureBoolean() {
        next = (next + 1) & (ACCOUNTS - 1);
        return client.getBooleanDetails("boolean-rollout", false, openFeatureContexts[next]);
    }

    private static FlagChanged flag(String key, FlagChanged.Kind kind, List<Variant> variants, String off,
                                    List<Segment> segments, int percentage) {
        return new FlagChanged(key, "benchmark", kind, true, false, variants, off, List.of("acc-allowed"),
                List.of("acc-denied"), segments, percentage, null, 1, "bench", "bench", Instant.now());
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        new Runner(new OptionsBuilder().include(FlagEvaluationBenchmark.class.getName()).build()).run();
    }
}
