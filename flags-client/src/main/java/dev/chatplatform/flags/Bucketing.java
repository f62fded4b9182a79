package dev.chatplatform.flags;

import java.nio.charset.StandardCharsets;

/**
 * Unleash's sticky bucketing: {@code (murmur3_32(utf8(groupId + ":" + stickyValue), seed) unsigned % normalizer) + 1}.
 * Seed 0 and normalizer 100 give the rollout bucket (a caller is in when the bucket is at most the percentage,
 * so raising the percentage keeps everyone already in); seed {@link #VARIANT_SEED} with the variants' total
 * weight picks the variant, as Unleash SDKs do, so cohorts match theirs.
 */
public final class Bucketing {

    /** Unleash's {@code VARIANT_NORMALIZATION_SEED}. */
    public static final int VARIANT_SEED = 86028157;

    private Bucketing() {
    }

    /** A number from 1 to {@code normalizer}, the same for the same inputs in every process and SDK. */
    public static int normalizedNumber(String stickyValue, String groupId, int normalizer, int seed) {
        byte[] bytes = (groupId + ":" + stickyValue).getBytes(StandardCharsets.UTF_8);
        return (int) (Integer.toUnsignedLong(murmur3x86_32(bytes, seed)) % normalizer) + 1;
    }

    /** The rollout bucket, 1 to 100. */
    public static int rolloutBucket(String stickyValue, String groupId) {
        return normalizedNumber(stickyValue, groupId, 100, 0);
    }

    /** MurmurHash3, x86 32-bit variant (Austin Appleby's reference algorithm, little-endian blocks). */
    public static int murmur3x86_32(byte[] data, int seed) {
        final int c1 = 0xcc9e2d51;
        final int c2 = 0x1b873593;
        int h = seed;
        int len = data.length;
        int blocks = len >>> 2;
        for (int i = 0; i < blocks; i++) {
            int o = i << 2;
            int k = (data[o] & 0xff) | (data[o + 1] & 0xff) << 8 | (data[o + 2] & 0xff) << 16 | (data[o + 3] & 0xff) << 24;
            k *= c1;
            k = Integer.rotateLeft(k, 15);
            k *= c2;
            h ^= k;
            h = Integer.rotateLeft(h, 13);
            h = h * 5 + 0xe6546b64;
        }
        int tail = blocks << 2;
        int k = 0;
        switch (len & 3) {
            case 3:
                k ^= (data[tail + 2] & 0xff) << 16;
            case 2:
                k ^= (data[tail + 1] & 0xff) << 8;
            case 1:
                k ^= data[tail] & 0xff;
                k *= c1;
                k = Integer.rotateLeft(k, 15);
                k *= c2;
                h ^= k;
            default:
                break;
        }
        h ^= len;
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
