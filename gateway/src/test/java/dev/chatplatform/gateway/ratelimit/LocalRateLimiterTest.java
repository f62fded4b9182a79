package dev.chatplatform.gateway.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class LocalRateLimiterTest {

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final LocalRateLimiter limiter = new LocalRateLimiter(clock::get);

    @Test
    void aFullBucketServesItsCapacityThenRefusesUntilItRefills() {
        for (int i = 0; i < 10; i++) {
            assertThat(take("a", 10, 1).allowed()).isTrue();
        }
        Verdict refused = take("a", 10, 1);

        assertThat(refused.allowed()).isFalse();
        Verdict.Outcome outcome = refused.outcomes().getFirst();
        assertThat(outcome.remaining()).isZero();
        assertThat(outcome.millisUntilCost()).as("one token per 6 s at 10 per minute").isEqualTo(6_000);
        assertThat(outcome.millisUntilFull()).isEqualTo(60_000);

        clock.addAndGet(6_000);
        assertThat(take("a", 10, 1).allowed()).isTrue();
        assertThat(take("a", 10, 1).allowed()).isFalse();
    }

    @Test
    void allBucketsAreChargedOrNone() {
        List<Demand> demands = List.of(new Demand("rpm", 10, 1), new Demand("tpm", 100, 80));
        assertThat(limiter.decide(demands).allowed()).isTrue();

        Verdict refused = limiter.decide(demands);

        assertThat(refused.allowed()).isFalse();
        assertThat(refused.outcomes().get(0).remaining()).as("the requests bucket was not charged").isEqualTo(9);
        assertThat(refused.outcomes().get(1).remaining()).isEqualTo(20);
    }

    @Test
    void aCapacityChangeAppliesAtOnceKeepingWhatWasUsed() {
        take("a", 10, 1);
        take("a", 10, 1);

        assertThat(take("a", 60, 1).outcomes().getFirst().remaining()).as("upgrade: 60 - 2 used - 1").isEqualTo(57);
        assertThat(take("a", 4, 1).outcomes().getFirst().remaining()).as("downgrade: 4 - 3 used - 1").isZero();
        assertThat(take("a", 4, 1).allowed()).isFalse();
    }

    @Test
    void aZeroLimitRefusesEverythingAndACostOverTheCapacityNeedsAFullBucket() {
        assertThat(take("zero", 0, 1).allowed()).isFalse();
        assertThat(take("zero", 0, 1).outcomes().getFirst().millisUntilCost()).isEqualTo(60_000);

        assertThat(take("big", 100, 500).allowed()).isTrue();
        assertThat(take("big", 100, 500).allowed()).isFalse();
        clock.addAndGet(60_000);
        assertThat(take("big", 100, 500).allowed()).isTrue();
    }

    @Test
    void idleBucketsAreDroppedOnceFullAgain() {
        take("a", 10, 1);
        take("b", 10, 1);
        clock.addAndGet(61_000);

        take("c", 10, 1);

        assertThat(limiter.size()).isEqualTo(1);
    }

    private Verdict take(String key, long capacity, long cost) {
        return limiter.decide(List.of(new Demand(key, capacity, cost)));
    }
}
