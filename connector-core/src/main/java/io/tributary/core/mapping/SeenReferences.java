package io.tributary.core.mapping;

import java.util.Arrays;

/**
 * The references one run has seen, to count duplicates. Keeps a 64-bit fingerprint per reference rather than the
 * strings themselves, in small sorted arrays picked by the fingerprint's top bits (256 arrays at first, split in four
 * as the run grows, up to 65,536), each grown by a quarter when full. A run holds about 9 bytes per reference (about
 * 45 MB at 5 million) and never copies more than one small array at a time; an open-addressing table would need 16
 * to 32 bytes per reference and a copy of the whole table at each doubling. Two different references colliding in 64
 * bits is negligible (about 1 in 10^6 at 5 million rows) and would only miscount a duplicate; it never drops a row.
 * A run does not keep one of these for ever: {@link RecentReferences} bounds what it holds.
 * <p>
 * Not thread-safe.
 */
final class SeenReferences {

    private static final int FIRST_BITS = 8;
    private static final int MAX_BITS = 16;
    /** Average references per array above which the arrays are split. */
    private static final int SPLIT_AT = 64;
    private static final long[] EMPTY = new long[0];

    private int bits = FIRST_BITS;
    private long[][] segments = emptySegments(FIRST_BITS);
    private int[] counts = new int[1 << FIRST_BITS];
    private int size;

    /** @return {@code true} when {@code reference} was not seen before in this run */
    boolean add(String reference) {
        return add(Fingerprint.of(reference));
    }

    /** @return {@code true} when the reference of fingerprint {@code h} was not seen before */
    boolean add(long h) {
        int s = (int) (h >>> (64 - bits));
        long[] segment = segments[s];
        int count = counts[s];
        int at = Arrays.binarySearch(segment, 0, count, h);
        if (at >= 0) {
            return false;
        }
        at = -at - 1;
        if (count == segment.length) {
            segment = Arrays.copyOf(segment, count + Math.max(4, count >> 2));
            segments[s] = segment;
        }
        System.arraycopy(segment, at, segment, at + 1, count - at);
        segment[at] = h;
        counts[s] = count + 1;
        size++;
        if (bits < MAX_BITS && size > SPLIT_AT << bits) {
            split();
        }
        return true;
    }

    /** Whether the reference of fingerprint {@code h} was seen. */
    boolean contains(long h) {
        int s = (int) (h >>> (64 - bits));
        return Arrays.binarySearch(segments[s], 0, counts[s], h) >= 0;
    }

    int size() {
        return size;
    }

    /** Each array in four by the next two bits: a sorted array splits into four sorted runs. */
    private void split() {
        int newBits = bits + 2;
        long[][] newSegments = emptySegments(newBits);
        int[] newCounts = new int[1 << newBits];
        for (int s = 0; s < segments.length; s++) {
            long[] segment = segments[s];
            int count = counts[s];
            int from = 0;
            while (from < count) {
                int child = (int) (segment[from] >>> (64 - newBits));
                int to = from + 1;
                while (to < count && (int) (segment[to] >>> (64 - newBits)) == child) {
                    to++;
                }
                newSegments[child] = Arrays.copyOfRange(segment, from, to + Math.max(4, (to - from) >> 2));
                newCounts[child] = to - from;
                from = to;
            }
        }
        bits = newBits;
        segments = newSegments;
        counts = newCounts;
    }

    private static long[][] emptySegments(int bits) {
        long[][] segments = new long[1 << bits][];
        Arrays.fill(segments, EMPTY);
        return segments;
    }
}
