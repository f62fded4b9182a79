package dev.chatplatform.kit.jobs;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffPolicyTest {

    private final BackoffPolicy defaults = new BackoffPolicy(Duration.ofSeconds(1), 2, Duration.ofHours(1), 24);

    @Test
    void eachWaitDoublesFromTheFirstRetryUntilTheMaximum() {
        assertThat(defaults.delayAfter(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(defaults.delayAfter(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.delayAfter(12)).isEqualTo(Duration.ofSeconds(2048));
        assertThat(defaults.delayAfter(13)).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.delayAfter(1000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aJobIsParkedAtItsLastAttemptAboutTwelveHoursAfterItsFirst() {
        assertThat(defaults.exhausted(23)).isFalse();
        assertThat(defaults.exhausted(24)).isTrue();
        Duration beforeLastAttempt = IntStream.rangeClosed(1, 23).mapToObj(defaults::delayAfter)
                .reduce(Duration.ZERO, Duration::plus);
        assertThat(beforeLastAttempt).isBetween(Duration.ofHours(12), Duration.ofHours(13));
    }

    @Test
    void aMultiplierOfOneRetriesAtAFixedInterval() {
        BackoffPolicy fixed = new BackoffPolicy(Duration.ofSeconds(5), 1, Duration.ofSeconds(5), 3);

        assertThat(fixed.delayAfter(1)).isEqualTo(fixed.delayAfter(3)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void nonsenseSettingsAreRefusedAtStartUp() {
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ZERO, 2, Duration.ofHours(1), 24))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofMinutes(2), 2, Duration.ofMinutes(1), 24))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(1), 0.5, Duration.ofHours(1), 24))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofSeconds(1), 2, Duration.ofHours(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
