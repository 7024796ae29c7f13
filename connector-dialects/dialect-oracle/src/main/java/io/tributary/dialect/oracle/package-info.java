/** Oracle sources on ojdbc11 through the JDBC bridge, with a small HikariCP pool per source. */
@NullMarked
package io.tributary.dialect.oracle;

import org.jspecify.annotations.NullMarked;
