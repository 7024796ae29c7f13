/** Oracle sources on ojdbc11 through the JDBC bridge, with the small per-source pool of dialect-support-jdbc. */
@NullMarked
package io.tributary.dialect.oracle;

import org.jspecify.annotations.NullMarked;
