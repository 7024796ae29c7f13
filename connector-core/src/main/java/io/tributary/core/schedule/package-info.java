/** Tributary core: schedule. */
@NullMarked
package io.tributary.core.schedule;

import org.jspecify.annotations.NullMarked;
