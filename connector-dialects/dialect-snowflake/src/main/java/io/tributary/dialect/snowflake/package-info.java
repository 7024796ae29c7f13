/** Snowflake sources on snowflake-jdbc through the JDBC bridge, with the small per-source pool of dialect-support-jdbc. */
@NullMarked
package io.tributary.dialect.snowflake;

import org.jspecify.annotations.NullMarked;
