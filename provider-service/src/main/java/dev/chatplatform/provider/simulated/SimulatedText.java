package dev.chatplatform.provider.simulated;

import dev.chatplatform.provider.upstream.ProviderMessage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Writes the simulated model's answer: sentences of common English words chosen by a pseudo-random
 * sequence seeded from a SHA-256 of the model and the conversation, so the same conversation always gets
 * the same answer (on every JVM: the generator is SplitMix64, not a JDK class whose algorithm may change).
 */
final class SimulatedText {

    static final int MIN_TOKENS = 20;
    static final int MAX_TOKENS = 120;

    private static final String[] WORDS = ("""
            the a system answer model request token stream service platform user message question idea result
            value simple clear small large quick careful useful direct better first next last good new short long
            data time way part point case fact example reason detail step plan change test number word line text
            is are was can will should could might does makes takes gives shows keeps finds uses helps needs brings
            works runs starts ends moves builds reads writes sends checks counts learns explains follows
            and or but so because while when if then also often still just only never always usually quite very
            with from into over under about after before through between without within for of to in on at by
            this that these each every some many most other same such own well here there today together""")
            .strip().split("\\s+");
    private static final String[] CONNECTORS = {"In short,", "For example,", "Still,", "Then", "Also,", "Overall,"};

    private SimulatedText() {
    }

    /**
     * A deterministic seed from the model, every message's role, name, content and images/files (by URL or data), and
     * the request's {@code seed} when set (another seed, another answer; the same seed, the same answer).
     */
    static long seed(String model, List<ProviderMessage> messages, Long requestSeed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, model);
            for (ProviderMessage m : messages) {
                update(sha, m.role());
                update(sha, m.name());
                update(sha, m.content());
                m.parts().forEach(part -> update(sha, part.url()));
            }
            if (requestSeed != null) {
                update(sha, requestSeed.toString());
            }
            byte[] d = sha.digest();
            long seed = 0;
            for (int i = 0; i < Long.BYTES; i++) {
                seed = (seed << 8) | (d[i] & 0xff);
            }
            return seed;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * Whole sentences until at least the seed's target length (between {@link #MIN_TOKENS} and
     * {@link #MAX_TOKENS} tokens as counted by {@code tokens}) is reached; the last sentence is dropped
     * again when keeping it would go past {@link #MAX_TOKENS}, unless it is the only one.
     */
    static String answer(long seed, ToIntFunction<String> tokens) {
        SplitMix64 random = new SplitMix64(seed);
        int target = MIN_TOKENS + random.nextInt(MAX_TOKENS - MIN_TOKENS + 1);
        StringBuilder text = new StringBuilder();
        while (tokens.applyAsInt(text.toString()) < target) {
            int before = text.length();
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(sentence(random, text.isEmpty()));
            if (before > 0 && tokens.applyAsInt(text.toString()) > MAX_TOKENS) {
                text.setLength(before);
                break;
            }
        }
        return text.toString();
    }

    /** A few lower-case words (for a JSON string value). */
    static String words(SplitMix64 random, int count) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return s.toString();
    }

    private static String sentence(SplitMix64 random, boolean first) {
        StringBuilder s = new StringBuilder();
        int words = 6 + random.nextInt(9);
        if (!first && random.nextInt(4) == 0) {
            s.append(CONNECTORS[random.nextInt(CONNECTORS.length)]).append(' ');
        }
        for (int i = 0; i < words; i++) {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (s.isEmpty()) {
                word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
            }
            s.append(word);
            if (i == words - 1) {
                s.append('.');
            } else {
                s.append(i > 2 && random.nextInt(7) == 0 ? ", " : " ");
            }
        }
        return s.toString();
    }

    private static void update(MessageDigest sha, String value) {
        if (value != null) {
            sha.update(value.getBytes(StandardCharsets.UTF_8));
        }
        sha.update((byte) 0);
    }

    /** Steele, Lea and Flood's SplitMix64: tiny, fast, and the same everywhere. */
    static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        int nextInt(int bound) {
            return (int) Long.remainderUnsigned(nextLong(), bound);
        }
    }
}
