package io.tributary.core.sink;

/** Why a run happened. */
public enum RunKind {
    /** The poll loop's regular run: moves the checkpoint. */
    AUTOMATIC,
    /** An operator asked for a run now: moves the checkpoint like an automatic run. */
    MANUAL,
    /** A window chosen by an operator (historical import, CLI): does not move the checkpoint. */
    HISTORICAL,
    /** A test query: reads, writes nothing. */
    TEST;

    /** Whether a successful run of this kind moves the checkpoint to its window's upper bound. */
    public boolean movesCheckpoint() {
        return this == AUTOMATIC || this == MANUAL;
    }
}
