/** Tributary core. */
@NullMarked
package io.tributary.core;

import org.jspecify.annotations.NullMarked;
