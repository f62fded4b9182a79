/**
 * The OpenFeature provider: {@link dev.chatplatform.flags.openfeature.FlagsTopicReader} reads the compacted
 * {@code flags.v1} from the beginning into a {@link dev.chatplatform.flags.FlagStore} (no consumer group, no
 * commits: every instance reads everything), and {@link dev.chatplatform.flags.openfeature.KafkaFlagProvider}
 * answers every evaluation from that store.
 */
package dev.chatplatform.flags.openfeature;
