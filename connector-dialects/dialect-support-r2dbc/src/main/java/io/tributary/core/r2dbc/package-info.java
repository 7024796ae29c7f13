/** Tributary core: r2dbc. */
@NullMarked
package io.tributary.core.r2dbc;

import org.jspecify.annotations.NullMarked;
