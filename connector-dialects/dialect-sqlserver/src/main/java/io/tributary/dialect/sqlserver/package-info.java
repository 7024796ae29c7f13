/** SQL Server and Azure SQL sources. */
@NullMarked
package io.tributary.dialect.sqlserver;

import org.jspecify.annotations.NullMarked;
