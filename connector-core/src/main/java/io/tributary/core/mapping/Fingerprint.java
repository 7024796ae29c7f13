package io.tributary.core.mapping;

/** A fast 64-bit hash of text, for change detection and duplicate counting; not for security. */
public final class Fingerprint {

    private Fingerprint() {
    }

    /** FNV-1a over the UTF-16 code units, then a murmur finaliser to spread the bits. */
    public static long of(CharSequence s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
