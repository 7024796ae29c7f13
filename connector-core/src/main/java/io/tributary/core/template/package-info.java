/** Tributary core: template. */
@NullMarked
package io.tributary.core.template;

import org.jspecify.annotations.NullMarked;
