/** Tributary core: window. */
@NullMarked
package io.tributary.core.window;

import org.jspecify.annotations.NullMarked;
