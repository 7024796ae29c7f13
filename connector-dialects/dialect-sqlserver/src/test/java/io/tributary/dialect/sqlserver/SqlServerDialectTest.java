package io.tributary.dialect.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.r2dbc.mssql.codec.DefaultCodecs;
import io.r2dbc.mssql.codec.Encoded;
import io.r2dbc.mssql.codec.RpcParameterContext;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.Variable;

class SqlServerDialectTest {

    private static RenderedStatement render(String statement) {
        SqlServerDialect d = SqlServerDialect.INSTANCE;
        return StatementTemplate.parse(statement, d.syntax()).render(d.bindMarkers());
    }

    @Test
    void aSelectGetsOneNamedMarkerPerOccurrence() {
        RenderedStatement r = render("SELECT s.id AS reference, s.seller AS member_id, s.seller_name AS member_name,"
                + " s.sold_at AS date FROM dbo.sales s WHERE s.updated_at >= {{ last_update_time }}"
                + " AND s.updated_at < {{ upper_date_limit }} AND s.sold_at < {{upper_date_limit}};");

        assertThat(r.sql()).isEqualTo("SELECT s.id AS reference, s.seller AS member_id, s.seller_name AS member_name,"
                + " s.sold_at AS date FROM dbo.sales s WHERE s.updated_at >= @P0 AND s.updated_at < @P1 AND s.sold_at < @P2");
        assertThat(r.parameters()).containsExactly(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT, Variable.UPPER_DATE_LIMIT);
        for (int i = 0; i < 3; i++) {
            assertThat(SqlServerDialect.MARKERS.bindName(i, r.parameters().get(i))).contains("P" + i);
        }
    }

    @Test
    void windowBoundsAreLocalTimesOfTheSourcesZoneWhichTheDriverSendsAsDatetime2() {
        Instant bound = Instant.parse("2024-03-01T09:15:30.1234567Z");

        Object copenhagen = SqlServerDialect.INSTANCE.bindValue(bound, ZoneId.of("Europe/Copenhagen"));
        Object utc = SqlServerDialect.INSTANCE.bindValue(bound, ZoneOffset.UTC);

        assertThat(copenhagen).isEqualTo(LocalDateTime.parse("2024-03-01T10:15:30.1234567"));
        assertThat(utc).isEqualTo(LocalDateTime.parse("2024-03-01T09:15:30.1234567"));
        Encoded encoded = new DefaultCodecs().encode(UnpooledByteBufAllocator.DEFAULT, RpcParameterContext.in(), copenhagen);
        assertThat(encoded.getFormalType()).isEqualTo("datetime2");
        encoded.dispose();
    }

    @Test
    void theClockIsTheServersUtcTime() {
        assertThat(SqlServerDialect.NOW_QUERY).isEqualTo("SELECT SYSUTCDATETIME()");
        assertThat(SqlServerDialect.INSTANCE.name()).isEqualTo("sqlserver");
        assertThat(List.of(SqlServerDialect.INSTANCE.syntax().backslashEscapes(), SqlServerDialect.INSTANCE.syntax().dollarQuotes()))
                .containsExactly(false, false);
    }
}
