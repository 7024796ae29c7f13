/** Oracle sources. */
@NullMarked
package io.tributary.dialect.oracle;

import org.jspecify.annotations.NullMarked;
