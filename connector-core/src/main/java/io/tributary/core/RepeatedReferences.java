package io.tributary.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The references a source's statement has returned more than once in one run (a JOIN that repeats a row), remembered
 * across runs, so that later runs hold their rows back to the end of the run and write only the last version: the
 * store never goes back to a superseded version for part of a run, and the counts stay one per reference. The run
 * that first meets a repeat across batches has written its earlier version already (the last still wins). Bounded:
 * the least recently repeated are forgotten first. Thread-safe.
 */
final class RepeatedReferences {

    /** About 100 bytes a reference, plus the held registrations of a run. */
    static final int CAPACITY = 50_000;

    private final Map<String, Boolean> known = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    /** Read on every row of every run: most sources never repeat a reference, and then no lock is taken. */
    private volatile boolean any;

    synchronized void remember(String reference) {
        known.put(reference, Boolean.TRUE);
        any = true;
    }

    boolean contains(String reference) {
        if (!any) {
            return false;
        }
        synchronized (this) {
            return known.get(reference) != null;
        }
    }
}
