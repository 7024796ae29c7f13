package io.tributary.core.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A scripted JDBC driver made of proxies: one text column, {@code rows} rows, every call recorded with its thread.
 * {@code executeQuery} can block until {@code Statement.cancel()} arrives, as a slow query does on a real server.
 */
class FakeJdbc implements DataSource {

    /** One recorded call: what and on which thread, and whether that thread was interrupted at the time. */
    record Call(String what, String thread, boolean interrupted) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch executing = new CountDownLatch(1);
    final CountDownLatch connectionClosed = new CountDownLatch(1);
    final AtomicInteger rowsRead = new AtomicInteger();
    private final int rows;
    private final boolean blockUntilCancelled;
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile boolean failOnRow3;

    FakeJdbc(int rows, boolean blockUntilCancelled) {
        this.rows = rows;
        this.blockUntilCancelled = blockUntilCancelled;
    }

    FakeJdbc failOnThirdRow() {
        this.failOnRow3 = true;
        return this;
    }

    boolean called(String what) {
        return calls.stream().anyMatch(c -> c.what().equals(what));
    }

    List<String> callNames() {
        return calls.stream().map(Call::what).toList();
    }

    private void record(String what) {
        calls.add(new Call(what, Thread.currentThread().getName(), Thread.currentThread().isInterrupted()));
    }

    @Override
    public Connection getConnection() {
        record("getConnection");
        return proxy(Connection.class, (p, m, args) -> {
            switch (m.getName()) {
                case "prepareStatement":
                    record("prepareStatement");
                    return statement();
                case "getAutoCommit":
                    return false;
                case "isClosed":
                    return false;
                case "close":
                    record("connection.close");
                    connectionClosed.countDown();
                    return null;
                case "setAutoCommit":
                    record("setAutoCommit(" + args[0] + ")");
                    return null;
                case "setReadOnly":
                    record("setReadOnly(" + args[0] + ")");
                    return null;
                case "rollback":
                    record("rollback");
                    return null;
                default:
                    return defaults(m.getReturnType());
            }
        });
    }

    private PreparedStatement statement() {
        return proxy(PreparedStatement.class, (p, m, args) -> {
            switch (m.getName()) {
                case "executeQuery":
                    record("executeQuery");
                    executing.countDown();
                    if (blockUntilCancelled) {
                        if (!cancelled.await(30, TimeUnit.SECONDS)) {
                            throw new AssertionError("never cancelled");
                        }
                        record("executeQuery returns after cancel");
                        throw new SQLException("canceling statement due to user request", "57014");
                    }
                    return resultSet();
                case "cancel":
                    record("cancel");
                    cancelled.countDown();
                    return null;
                case "close":
                    record("statement.close");
                    return null;
                case "setFetchSize":
                    record("setFetchSize(" + args[0] + ")");
                    return null;
                case "setQueryTimeout":
                    record("setQueryTimeout(" + args[0] + ")");
                    return null;
                default:
                    return defaults(m.getReturnType());
            }
        });
    }

    private ResultSet resultSet() {
        AtomicInteger position = new AtomicInteger();
        ResultSetMetaData metadata = proxy(ResultSetMetaData.class, (p, m, args) -> switch (m.getName()) {
            case "getColumnCount" -> 1;
            case "getColumnLabel", "getColumnName" -> "reference";
            case "getColumnType" -> Types.VARCHAR;
            case "getColumnTypeName" -> "VARCHAR";
            default -> defaults(m.getReturnType());
        });
        return proxy(ResultSet.class, (p, m, args) -> {
            switch (m.getName()) {
                case "next":
                    if (failOnRow3 && position.get() == 2) {
                        throw new SQLException("disk on fire", "58030");
                    }
                    return position.incrementAndGet() <= rows;
                case "getObject":
                    rowsRead.incrementAndGet();
                    return "r" + position.get();
                case "getMetaData":
                    return metadata;
                case "close":
                    record("resultSet.close");
                    return null;
                default:
                    return defaults(m.getReturnType());
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(FakeJdbc.class.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private static Object defaults(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    @Override
    public Connection getConnection(String username, String password) {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
