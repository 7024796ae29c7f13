/** Tributary core: spi. */
@NullMarked
package io.tributary.core.spi;

import org.jspecify.annotations.NullMarked;
