/** H2 sources on r2dbc-h2: the demo source and tests. */
@NullMarked
package io.tributary.dialect.h2;

import org.jspecify.annotations.NullMarked;
