package io.tributary.core.mapping;

/**
 * A fast 64-bit hash of text, for change detection and duplicate counting; not for security.
 * <p>
 * {@link #of} hashes one text; {@link #begin}, {@link #append} and {@link #end} hash several texts as if they were
 * concatenated, without building the concatenation: {@code end(append(append(begin(), a), b)) == of(a + b)}.
 */
public final class Fingerprint {

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Fingerprint() {
    }

    /** FNV-1a over the UTF-16 code units, then a murmur finaliser to spread the bits. */
    public static long of(CharSequence s) {
        return end(append(begin(), s));
    }

    /** The state before any text. */
    public static long begin() {
        return OFFSET;
    }

    /** The state after {@code s} follows the text hashed into {@code state}. */
    public static long append(long state, CharSequence s) {
        long h = state;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= PRIME;
        }
        return h;
    }

    /** The state after {@code c} follows the text hashed into {@code state}. */
    public static long append(long state, char c) {
        return (state ^ c) * PRIME;
    }

    /** The hash of the text hashed into {@code state}. */
    public static long end(long state) {
        long h = state;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
