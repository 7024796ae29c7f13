package io.tributary.core.sink;

/** How a run ended. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED
}
