package dev.chatplatform.kit.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * Retrying and parked jobs per kind as gauges ({@code jobs.retrying}, {@code jobs.parked}, tag {@code kind}) and
 * as the {@code jobs} health component. Parked work needs an operator, not a restart, so health stays UP and
 * only lists the counts. Counted at most every {@link #MAX_AGE}, so scrapes and probes cost one query.
 */
class JobCounts implements HealthIndicator, SmartInitializingSingleton {

    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final Jobs jobs;
    private final MeterRegistry meters;
    private volatile Snapshot snapshot = new Snapshot(Instant.EPOCH, Map.of());

    JobCounts(Jobs jobs, MeterRegistry meters) {
        this.jobs = jobs;
        this.meters = meters;
    }

    /** The kinds are known once every {@link JobHandler} bean exists. */
    @Override
    public void afterSingletonsInstantiated() {
        for (String kind : jobs.kinds()) {
            for (JobState state : JobState.values()) {
                Gauge.builder("jobs." + state.wireName(), this, c -> c.count(kind, state))
                        .tag("kind", kind)
                        .description(state == JobState.PARKED ? "jobs waiting for an operator" : "failed jobs that will run again")
                        .register(meters);
            }
        }
    }

    @Override
    public Health health() {
        Map<String, Map<JobState, Long>> counts = current();
        return Health.up()
                .withDetail("parked", byKind(counts, JobState.PARKED))
                .withDetail("retrying", byKind(counts, JobState.RETRYING))
                .build();
    }

    private double count(String kind, JobState state) {
        return current().getOrDefault(kind, Map.of()).getOrDefault(state, 0L);
    }

    private Map<String, Map<JobState, Long>> current() {
        Snapshot s = snapshot;
        if (s.at().plus(MAX_AGE).isBefore(Instant.now())) {
            synchronized (this) {
                s = snapshot;
                if (s.at().plus(MAX_AGE).isBefore(Instant.now())) {
                    s = new Snapshot(Instant.now(), jobs.counts());
                    snapshot = s;
                }
            }
        }
        return s.counts();
    }

    private static Map<String, Long> byKind(Map<String, Map<JobState, Long>> counts, JobState state) {
        Map<String, Long> of = new TreeMap<>();
        counts.forEach((kind, c) -> of.put(kind, c.getOrDefault(state, 0L)));
        return of;
    }

    private record Snapshot(Instant at, Map<String, Map<JobState, Long>> counts) {
    }
}
