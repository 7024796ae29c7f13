package io.tributary.app.web;

import java.time.Instant;

/** A change of a source's effective interval: when, from and to which interval, and why. */
public record IntervalChangeView(Instant at, long fromSeconds, long toSeconds, String reason) {
}
