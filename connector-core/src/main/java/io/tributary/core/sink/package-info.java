/** Tributary core: sink. */
@NullMarked
package io.tributary.core.sink;

import org.jspecify.annotations.NullMarked;
