/** Tributary core: mapping. */
@NullMarked
package io.tributary.core.mapping;

import org.jspecify.annotations.NullMarked;
