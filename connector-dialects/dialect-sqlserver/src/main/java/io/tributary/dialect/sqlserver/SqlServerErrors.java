package io.tributary.dialect.sqlserver;

import io.tributary.core.ConnectorException;

/**
 * Column types r2dbc-mssql 1.0.4 cannot read fail with a driver exception the generic classification takes for a
 * passing fault; they repeat on every run, so they become permanent errors that say which CAST reads them.
 * <ul>
 * <li>{@code xml}: no decoder at all (r2dbc-mssql issue 66): {@code CAST(col AS nvarchar(max))}</li>
 * <li>{@code smallmoney}: no codec accepts it before a fix released after 1.0.4 (issue 307):
 * {@code CAST(col AS money)}</li>
 * <li>any other type without a codec ({@code sql_variant}, spatial and CLR types): CAST to a plain type</li>
 * </ul>
 */
final class SqlServerErrors {

    private SqlServerErrors() {
    }

    static Throwable explain(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.contains("TypeBuilder for XML")) {
                return new ConnectorException.Permanent("the result has an xml column, which the r2dbc-mssql driver "
                        + "cannot read; select it as CAST(column AS nvarchar(max)) (" + message + ")", e);
            }
            if (message.contains("server type [smallmoney]")) {
                return new ConnectorException.Permanent("the result has a smallmoney column, which r2dbc-mssql 1.0.4 "
                        + "cannot read; select it as CAST(column AS money) (" + message + ")", e);
            }
            if (message.startsWith("Cannot decode value of type")) {
                return new ConnectorException.Permanent("the result has a column of a type the r2dbc-mssql driver "
                        + "cannot read; CAST it to a plain type such as nvarchar(max) (" + message + ")", e);
            }
        }
        return e;
    }
}
