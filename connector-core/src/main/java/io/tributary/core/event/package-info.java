/** Tributary core: event. */
@NullMarked
package io.tributary.core.event;

import org.jspecify.annotations.NullMarked;
