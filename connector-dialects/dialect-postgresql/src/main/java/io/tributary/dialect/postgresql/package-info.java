/** PostgreSQL sources on r2dbc-postgresql. */
@NullMarked
package io.tributary.dialect.postgresql;

import org.jspecify.annotations.NullMarked;
