package io.tributary.core.sink;

/**
 * What a sink did with a batch: counts per outcome. {@code unchanged} rows were found identical and not rewritten.
 */
public record WriteResult(long inserted, long updated, long unchanged, long deleted) {

    public static final WriteResult NONE = new WriteResult(0, 0, 0, 0);

    public WriteResult {
        if (inserted < 0 || updated < 0 || unchanged < 0 || deleted < 0) {
            throw new IllegalArgumentException("counts >= 0 required but they were " + inserted + "/" + updated + "/"
                    + unchanged + "/" + deleted);
        }
    }

    public WriteResult plus(WriteResult other) {
        return new WriteResult(inserted + other.inserted, updated + other.updated, unchanged + other.unchanged,
                deleted + other.deleted);
    }

    public long total() {
        return inserted + updated + unchanged;
    }
}
