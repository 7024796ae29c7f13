package io.tributary.bench;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * The mapping a user writes by hand for the baselines (b) and (c): the same standard columns and the same custom
 * fields JSON as Tributary stores ({@code {"amount":12.50,"quantity":3,...}}, timestamps ISO-8601 UTC), built with a
 * {@link StringBuilder}.
 */
record SaleRow(String reference, String memberId, String memberName, String teamName, OffsetDateTime date, String fields) {

    /** The upsert both baselines send: unchanged rows are not rewritten ({@code IS DISTINCT FROM}). */
    static final String UPSERT = """
            INSERT INTO registrations AS r (source_id, reference, member_id_source, member_id, member_name, team_name,
                    date, fields, deleted, content_hash, first_seen, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), false, 0, now(), now())
            ON CONFLICT (source_id, reference) DO UPDATE SET member_id_source = excluded.member_id_source,
                member_id = excluded.member_id, member_name = excluded.member_name, team_name = excluded.team_name,
                date = excluded.date, fields = excluded.fields, deleted = excluded.deleted, updated_at = excluded.updated_at
            WHERE (r.member_id_source, r.member_id, r.member_name, r.team_name, r.date, r.fields, r.deleted)
                IS DISTINCT FROM (excluded.member_id_source, excluded.member_id, excluded.member_name,
                                  excluded.team_name, excluded.date, excluded.fields, excluded.deleted)
            """;

    static SaleRow read(ResultSet rs) throws SQLException {
        StringBuilder json = new StringBuilder(128);
        BigDecimal amount = rs.getBigDecimal(6);
        json.append("{\"amount\":").append(amount.toPlainString());
        json.append(",\"quantity\":").append(rs.getInt(7));
        json.append(",\"product\":");
        quote(json, rs.getString(8));
        json.append(",\"paid\":").append(rs.getBoolean(9));
        OffsetDateTime shipped = rs.getObject(10, OffsetDateTime.class);
        json.append(",\"shipped_at\":");
        if (shipped == null) {
            json.append("null");
        } else {
            json.append('"').append(shipped.toInstant()).append('"');
        }
        json.append('}');
        return new SaleRow(Long.toString(rs.getLong(1)), Integer.toString(rs.getInt(2)), rs.getString(3), rs.getString(4),
                rs.getObject(5, OffsetDateTime.class), json.toString());
    }

    void bind(PreparedStatement ps) throws SQLException {
        ps.setString(1, Stores.SOURCE_ID);
        ps.setString(2, reference);
        ps.setString(3, Stores.SOURCE_ID);
        ps.setString(4, memberId);
        ps.setString(5, memberName);
        ps.setString(6, teamName);
        ps.setObject(7, date);
        ps.setString(8, fields);
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }
}
