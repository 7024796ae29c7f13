/** Tributary as a Kafka Connect source connector. */
@NullMarked
package io.tributary.kafka;

import org.jspecify.annotations.NullMarked;
