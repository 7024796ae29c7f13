package io.tributary.core.mapping;

/**
 * The references one run has seen, to count duplicates. Keeps a 64-bit fingerprint per reference in an
 * open-addressing table (16 bytes per reference at most) rather than the strings themselves, so a run of
 * millions of rows stays small. Two different references colliding in 64 bits is negligible (about 1 in 10^12
 * at a million rows) and would only miscount a duplicate; it never drops a row.
 */
public final class SeenReferences {

    private long[] table = new long[1024];
    private int size;
    private boolean sawZero;

    /** @return {@code true} when {@code reference} was not seen before in this run */
    public boolean add(String reference) {
        long h = Fingerprint.of(reference);
        if (h == 0) {
            boolean first = !sawZero;
            sawZero = true;
            return first;
        }
        if (size * 2 >= table.length) {
            grow();
        }
        return insert(table, h);
    }

    public int size() {
        return size + (sawZero ? 1 : 0);
    }

    private boolean insert(long[] t, long h) {
        int mask = t.length - 1;
        int i = (int) (h ^ (h >>> 32)) & mask;
        while (t[i] != 0) {
            if (t[i] == h) {
                return false;
            }
            i = (i + 1) & mask;
        }
        t[i] = h;
        size++;
        return true;
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        size = 0;
        for (long h : old) {
            if (h != 0) {
                insert(table, h);
            }
        }
    }
}
