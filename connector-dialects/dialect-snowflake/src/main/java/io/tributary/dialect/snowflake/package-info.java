/** Snowflake sources on snowflake-jdbc through the JDBC bridge, with a small HikariCP pool per source. */
@NullMarked
package io.tributary.dialect.snowflake;

import org.jspecify.annotations.NullMarked;
