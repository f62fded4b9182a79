package dev.chatplatform.flags;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BucketingTest {

    @Test
    void murmur3MatchesTheReferenceVectors() {
        assertThat(hash("", 0)).isZero();
        assertThat(hash("", 1)).isEqualTo(0x514E28B7);
        assertThat(hash("hello", 0)).isEqualTo(0x248BFA47);
        assertThat(hash("hello, world", 0)).isEqualTo(0x149BBB7F);
        assertThat(hash("The quick brown fox jumps over the lazy dog", 0)).isEqualTo(0x2E4FF723);
        assertThat(Integer.toUnsignedLong(hash("abc", 0))).isEqualTo(3017643002L);
    }

    /** Vectors from Unleash's clients (StrategyUtilsTest: "the same across node, java and go clients"). */
    @Test
    void normalizedNumbersAreTheSameAsUnleashSdks() {
        assertThat(Bucketing.normalizedNumber("123", "gr1", 100, 0)).isEqualTo(73);
        assertThat(Bucketing.normalizedNumber("999", "groupX", 100, 0)).isEqualTo(25);
        assertThat(Bucketing.normalizedNumber("123", "gr1", 100, Bucketing.VARIANT_SEED)).isEqualTo(96);
        assertThat(Bucketing.normalizedNumber("999", "groupX", 100, Bucketing.VARIANT_SEED)).isEqualTo(60);
    }

    /** Unleash client-specification 03-gradual-rollout-user-id-strategy: groupId AB12A at 50 %. */
    @Test
    void gradualRolloutAtFiftyPercentIncludesTheSameUsersAsTheUnleashSpecification() {
        assertThat(Bucketing.rolloutBucket("122", "AB12A")).isLessThanOrEqualTo(50);
        assertThat(Bucketing.rolloutBucket("155", "AB12A")).isGreaterThan(50);
        assertThat(Bucketing.rolloutBucket("123", "AB12A")).isBetween(1, 100);
    }

    @Test
    void raisingThePercentageKeepsEveryoneAlreadyInAndAddsAboutTheNewShare() {
        Set<String> previous = Set.of();
        for (int percentage : new int[]{1, 10, 25, 50, 75, 100}) {
            Set<String> included = new HashSet<>();
            IntStream.range(0, 20_000).mapToObj(i -> "acc-" + i)
                    .filter(acc -> Bucketing.rolloutBucket(acc, "hybrid-routing") <= percentage)
                    .forEach(included::add);
            assertThat(included.containsAll(previous)).as("everyone already in stays in at %d %%", percentage).isTrue();
            assertThat(included.size() / 20_000.0).isCloseTo(percentage / 100.0, within(0.015));
            previous = included;
        }
        assertThat(previous).hasSize(20_000);
    }

    @Test
    void differentGroupsBucketTheSameAccountIndependently() {
        long same = IntStream.range(0, 2_000).filter(i -> Bucketing.rolloutBucket("acc-" + i, "flag-a")
                == Bucketing.rolloutBucket("acc-" + i, "flag-b")).count();
        assertThat(same).isLessThan(100);
    }

    private static int hash(String s, int seed) {
        return Bucketing.murmur3x86_32(s.getBytes(StandardCharsets.UTF_8), seed);
    }
}
