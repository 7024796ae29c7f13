package io.tributary.core.r2dbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;

import io.r2dbc.spi.ColumnMetadata;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;
import io.r2dbc.spi.Statement;
import io.tributary.core.Secret;
import io.tributary.core.mapping.SourceRow;
import io.tributary.core.spi.Dialect;
import io.tributary.core.template.BindMarkers;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.SqlSyntax;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.Variable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Binding and row copying of the generic R2DBC client, against a scripted driver. */
class R2dbcSourceClientTest {

    private final List<String> binds = new CopyOnWriteArrayList<>();

    @Test
    void markersThatNameTheirParameterAreBoundByNameOthersByPosition() {
        BindMarkers named = new BindMarkers() {
            @Override
            public String marker(int index, Variable variable) {
                return "@P" + index;
            }

            @Override
            public Optional<String> bindName(int index, Variable variable) {
                return Optional.of("P" + index);
            }
        };
        RenderedStatement exec = StatementTemplate.parse(
                "EXEC sales @from = {{ last_update_time }}, @to = {{ upper_date_limit }}").render(named);
        LocalDateTime from = LocalDateTime.parse("2024-03-01T00:00");
        LocalDateTime to = LocalDateTime.parse("2024-03-02T00:00");

        client(named, List.of()).stream(exec, List.of(from, to), 10).blockLast(Duration.ofSeconds(10));
        assertThat(exec.sql()).isEqualTo("EXEC sales @from = @P0, @to = @P1");
        assertThat(binds).containsExactly("P0=" + from, "P1=" + to, "fetchSize=10");

        binds.clear();
        RenderedStatement select = StatementTemplate.parse("SELECT * FROM t WHERE d > {{ last_update_time }}")
                .render(BindMarkers.DOLLAR_NUMBERED);
        client(BindMarkers.DOLLAR_NUMBERED, List.of()).stream(select, List.of(from), 10).blockLast(Duration.ofSeconds(10));
        assertThat(binds).containsExactly("0=" + from, "fetchSize=10");
    }

    @Test
    void eachResultOfAProcedureKeepsItsOwnColumns() {
        List<List<String>> results = List.of(List.of("count"), List.of("reference", "member_id"));

        List<SourceRow> rows = client(BindMarkers.DOLLAR_NUMBERED, results)
                .stream(new RenderedStatement("EXEC two_results", List.of()), List.of(), 10)
                .collectList().block(Duration.ofSeconds(10));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).columns().names()).containsExactly("count");
        assertThat(rows.get(1).columns().names()).containsExactly("reference", "member_id");
        assertThat(rows.get(1).value(1)).isEqualTo("member_id#0");
    }

    private R2dbcSourceClient client(BindMarkers markers, List<List<String>> results) {
        Dialect dialect = new Dialect() {
            @Override
            public String name() {
                return "scripted";
            }

            @Override
            public SqlSyntax syntax() {
                return SqlSyntax.STANDARD;
            }

            @Override
            public BindMarkers bindMarkers() {
                return markers;
            }
        };
        Statement statement = proxy(Statement.class, (p, m, args) -> {
            switch (m.getName()) {
                case "bind":
                    binds.add(args[0] + "=" + args[1]);
                    return p;
                case "fetchSize":
                    binds.add("fetchSize=" + args[0]);
                    return p;
                case "execute":
                    return Flux.fromIterable(results).map(R2dbcSourceClientTest::result);
                default:
                    throw new UnsupportedOperationException(m.getName());
            }
        });
        Connection connection = proxy(Connection.class, (p, m, args) -> switch (m.getName()) {
            case "createStatement" -> statement;
            case "beginTransaction", "rollbackTransaction", "close" -> Mono.empty();
            default -> throw new UnsupportedOperationException(m.getName());
        });
        ConnectionFactory factory = proxy(ConnectionFactory.class, (p, m, args) -> switch (m.getName()) {
            case "create" -> Mono.just(connection);
            default -> throw new UnsupportedOperationException(m.getName());
        });
        return R2dbcSourceClient.builder(dialect, "SELECT now()", Secret.empty()).build(factory);
    }

    /** One row whose value in each column is {@code name#0}. */
    private static Result result(List<String> columns) {
        List<ColumnMetadata> metadata = columns.stream().map(name -> proxy(ColumnMetadata.class, (p, m, args) -> switch (m.getName()) {
            case "getName" -> name;
            default -> throw new UnsupportedOperationException(m.getName());
        })).toList();
        RowMetadata rowMetadata = proxy(RowMetadata.class, (p, m, args) -> switch (m.getName()) {
            case "getColumnMetadatas" -> metadata;
            default -> throw new UnsupportedOperationException(m.getName());
        });
        Row row = proxy(Row.class, (p, m, args) -> switch (m.getName()) {
            case "get" -> columns.get((Integer) args[0]) + "#0";
            default -> throw new UnsupportedOperationException(m.getName());
        });
        return proxy(Result.class, (p, m, args) -> {
            if (m.getName().equals("map") && args[0] instanceof BiFunction<?, ?, ?> f) {
                @SuppressWarnings("unchecked")
                BiFunction<Row, RowMetadata, Object> mapper = (BiFunction<Row, RowMetadata, Object>) f;
                return Mono.fromSupplier(() -> mapper.apply(row, rowMetadata));
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(R2dbcSourceClientTest.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
