/** SQL Server (2005 and later) and Azure SQL sources on r2dbc-mssql. */
@NullMarked
package io.tributary.dialect.sqlserver;

import org.jspecify.annotations.NullMarked;
