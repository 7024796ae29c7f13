package io.tributary.core.history;

import java.util.Locale;

/** Where a historical import stands. */
public enum ImportStatus {
    /** Chunks are being imported, or will be when Tributary starts again. */
    RUNNING,
    /** Every chunk was imported. */
    SUCCEEDED,
    /** A chunk kept failing; the record holds the reason and where it stopped. */
    FAILED,
    /** An operator cancelled it; the chunks done so far stay imported. */
    CANCELLED;

    /** The lower-case name the API and events use. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
