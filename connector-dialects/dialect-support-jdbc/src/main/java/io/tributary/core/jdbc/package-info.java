/**
 * The bridge from blocking JDBC to a demand-driven {@code Flux}, for databases without a usable R2DBC driver
 * (Oracle, Snowflake). No connection pool here: dialect modules hand in a {@link javax.sql.DataSource}.
 */
@NullMarked
package io.tributary.core.jdbc;

import org.jspecify.annotations.NullMarked;
