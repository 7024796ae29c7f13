/**
 * The bridge from blocking JDBC to a demand-driven {@code Flux}, for databases without a usable R2DBC driver
 * (Oracle, Snowflake), and the small per-source pool they use ({@link io.tributary.core.jdbc.JdbcPool}).
 */
@NullMarked
package io.tributary.core.jdbc;

import org.jspecify.annotations.NullMarked;
