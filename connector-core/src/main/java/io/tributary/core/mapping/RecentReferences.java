package io.tributary.core.mapping;

/**
 * The references a run has seen, to count its duplicates, in memory that does not grow with the run. References are
 * kept in generations of {@code generation} references: when the current generation is full, {@link #rotateIfFull()}
 * makes it the previous one and forgets the one before. So every repeat is recognised in a run of at most
 * {@code generation} distinct references, and in a longer run whenever fewer than {@code generation} other references
 * came since the reference was last seen; a repeat of a reference forgotten long ago is stored as an update (or an
 * unchanged row) rather than counted as a duplicate. Nothing is ever dropped: this only counts.
 * <p>
 * At about 9 bytes per reference, the default generation of 500,000 holds at most about 9 MB, where remembering every
 * reference of a 50-million-row run would take 450 MB.
 * <p>
 * Not thread-safe.
 */
public final class RecentReferences {

    /** References per generation by default: runs of up to 500,000 references are counted exactly. */
    public static final int DEFAULT_GENERATION = 500_000;

    private final int generation;
    private SeenReferences current = new SeenReferences();
    private SeenReferences previous = new SeenReferences();
    private boolean forgotten;

    public RecentReferences() {
        this(DEFAULT_GENERATION);
    }

    /** @param generation references per generation, at least 1 */
    public RecentReferences(int generation) {
        if (generation < 1) {
            throw new IllegalArgumentException("generation >= 1 required but it was " + generation);
        }
        this.generation = generation;
    }

    /** @return {@code true} when {@code reference} was not seen before (among the references still remembered) */
    public boolean add(String reference) {
        long h = Fingerprint.of(reference);
        boolean isNew = current.add(h);
        return isNew && !previous.contains(h);
    }

    /**
     * Starts a new generation when the current one is full; call it before adding. A caller that must recognise every
     * repeat inside a group of references (a batch) calls it between groups only.
     */
    public void rotateIfFull() {
        if (current.size() >= generation) {
            forgotten |= previous.size() > 0;
            previous = current;
            current = new SeenReferences();
        }
    }

    /** Whether some references were forgotten, so that a repeat of one of them would not be counted. */
    public boolean forgotten() {
        return forgotten;
    }

    /** References remembered now. */
    public int remembered() {
        return current.size() + previous.size();
    }
}
