package io.tributary.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RegistrationMapperTest {

    private static final Columns STANDARD = Columns.of("Reference", "MEMBER_ID", "member_name", "date", "team_name", "amount");
    private final RegistrationMapper mapper = new RegistrationMapper(ZoneId.of("UTC"));

    private Registration mapped(SourceRow row) {
        MappedRow m = mapper.map(row, 1);
        assertThat(m).isInstanceOf(MappedRow.Mapped.class);
        return ((MappedRow.Mapped) m).registration();
    }

    private String rejected(SourceRow row, long n) {
        MappedRow m = mapper.map(row, n);
        assertThat(m).isInstanceOf(MappedRow.Rejected.class);
        return ((MappedRow.Rejected) m).rejection().reason();
    }

    @Test
    void standardFieldsAreMatchedCaseInsensitivelyAndTheRestAreCustomFields() {
        Registration r = mapped(new SourceRow(STANDARD, new Object[] {42L, 7, "Ada", OffsetDateTime.parse("2024-03-01T10:00:00+02:00"),
                "North", new BigDecimal("12.50")}));
        assertThat(r.reference()).isEqualTo("42");
        assertThat(r.memberId()).isEqualTo("7");
        assertThat(r.memberName()).isEqualTo("Ada");
        assertThat(r.date()).isEqualTo(Instant.parse("2024-03-01T08:00:00Z"));
        assertThat(r.teamName()).isEqualTo("North");
        assertThat(r.deleted()).isFalse();
        assertThat(r.fieldsJson()).isEqualTo("{\"amount\":12.50}");
    }

    @Test
    void rejectionsCarryTheRowNumberAndTheReason() {
        assertThat(rejected(new SourceRow(STANDARD, new Object[] {null, 7, "Ada", Instant.EPOCH, null, null}), 17))
                .isEqualTo("row 17: reference is NULL");
        assertThat(rejected(new SourceRow(STANDARD, new Object[] {"r1", 7, "Ada", null, null, null}), 3))
                .isEqualTo("row 3: date is NULL");
        assertThat(rejected(new SourceRow(STANDARD, new Object[] {"r1", null, "Ada", Instant.EPOCH, null, null}), 4))
                .isEqualTo("row 4: member_id is NULL");
        assertThat(rejected(new SourceRow(STANDARD, new Object[] {"  ", 7, "Ada", Instant.EPOCH, null, null}), 5))
                .isEqualTo("row 5: reference is empty");
        assertThat(rejected(new SourceRow(STANDARD, new Object[] {"r1", 7, "Ada", "yesterday", null, null}), 6))
                .isEqualTo("row 6: date value 'yesterday' (String) is not a date or timestamp");
    }

    @Test
    @DisplayName("Regression (issue 19): a NUL character is rejected with the column's name on every store, not a run failure")
    void aNulCharacterIsRejectedWithTheColumn() {
        OffsetDateTime at = OffsetDateTime.parse("2024-03-01T10:00:00Z");
        assertThat(rejected(new SourceRow(STANDARD, new Object[] {"r1", 7, "Ad\0a", at, "North", "x"}), 3))
                .isEqualTo("row 3: member_name contains a NUL character (U+0000), which the registration store cannot hold");
        assertThat(rejected(new SourceRow(STANDARD, new Object[] {"r1", 7, "Ada", at, "North", "a\0b"}), 4))
                .isEqualTo("row 4: amount contains a NUL character (U+0000), which the registration store cannot hold");
        MappedRow m = mapper.map(new SourceRow(STANDARD, new Object[] {"r\0", 7, "Ada", at, null, null}), 5);
        assertThat(((MappedRow.Rejected) m).rejection().reference()).as("shown, not stored raw").isEqualTo("r\\0");
        assertThat(mapped(new SourceRow(STANDARD, new Object[] {"r2", 7, "Ada", at, "North", "\\0 is fine"})).reference())
                .isEqualTo("r2");
    }

    @Test
    void missingStandardColumnsFailWithWhatWasFound() {
        SourceRow row = new SourceRow(Columns.of("id", "seller", "date"), new Object[] {1, 2, Instant.EPOCH});
        assertThatThrownBy(() -> mapper.map(row, 1))
                .isInstanceOf(MissingColumnsException.class)
                .hasMessageContaining("no column reference, member_id, member_name")
                .hasMessageContaining("columns found: id, seller, date");
    }

    @Test
    void zoneLessTimestampsAreReadInTheSourceZone() {
        RegistrationMapper copenhagen = new RegistrationMapper(ZoneId.of("Europe/Copenhagen"));
        Columns cols = Columns.of("reference", "member_id", "member_name", "date", "local_ts", "day");
        MappedRow m = copenhagen.map(new SourceRow(cols, new Object[] {"r", "m", "n", LocalDateTime.parse("2024-07-01T12:00:00"),
                LocalDateTime.parse("2024-01-01T12:00:00"), LocalDate.parse("2024-07-01")}), 1);
        Registration r = ((MappedRow.Mapped) m).registration();
        assertThat(r.date()).isEqualTo(Instant.parse("2024-07-01T10:00:00Z"));
        assertThat(r.fieldsJson()).isEqualTo("{\"local_ts\":\"2024-01-01T11:00:00Z\",\"day\":\"2024-07-01\"}");
    }

    @Test
    void customFieldValuesAreExact() {
        UUID id = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        Columns cols = Columns.of("reference", "member_id", "member_name", "date", "dec", "big", "flag", "text", "uuid",
                "json", "bytes", "array", "nan", "nothing");
        Registration r = mapped(new SourceRow(cols, new Object[] {"r", "m", null, Instant.EPOCH, new BigDecimal("1234567890.000000001"),
                Long.MAX_VALUE, true, "quote \" and \\ and \n", id, new RawJson("{\"a\":[1,2]}"), new byte[] {1, 2, 3},
                List.of(1, 2), Double.NaN, null}));
        assertThat(r.memberName()).isNull();
        assertThat(r.fieldsJson()).isEqualTo("{\"dec\":1234567890.000000001,\"big\":9223372036854775807,\"flag\":true,"
                + "\"text\":\"quote \\\" and \\\\ and \\n\",\"uuid\":\"123e4567-e89b-12d3-a456-426614174000\","
                + "\"json\":{\"a\":[1,2]},\"bytes\":\"AQID\",\"array\":[1,2],\"nan\":\"NaN\",\"nothing\":null}");
    }

    @Test
    void timesOfDayKeepTheirSeconds() {
        assertThat(FieldValues.toJson(java.time.LocalTime.of(13, 45), ZoneId.of("UTC"))).isEqualTo("\"13:45:00\"");
        assertThat(FieldValues.toJson(java.time.LocalTime.of(13, 45, 1, 500_000_000), ZoneId.of("UTC"))).isEqualTo("\"13:45:01.5\"");
        assertThat(FieldValues.toJson(java.time.OffsetTime.parse("08:00+02:00"), ZoneId.of("UTC"))).isEqualTo("\"08:00:00+02:00\"");
    }

    @Test
    void deletedColumnIsAFlagNotACustomField() {
        Columns cols = Columns.of("reference", "member_id", "member_name", "date", "deleted");
        assertThat(mapped(new SourceRow(cols, new Object[] {"r", "m", "n", Instant.EPOCH, 1})).deleted()).isTrue();
        assertThat(mapped(new SourceRow(cols, new Object[] {"r", "m", "n", Instant.EPOCH, null})).deleted()).isFalse();
        assertThat(mapped(new SourceRow(cols, new Object[] {"r", "m", "n", Instant.EPOCH, "true"})).fieldsJson()).isEqualTo("{}");
        assertThat(rejected(new SourceRow(cols, new Object[] {"r", "m", "n", Instant.EPOCH, "maybe"}), 9))
                .isEqualTo("row 9: deleted value 'maybe' is not a boolean");
    }

    @Test
    void datesAsStringsAreParsed() {
        Columns cols = Columns.of("reference", "member_id", "member_name", "date");
        assertThat(mapped(new SourceRow(cols, new Object[] {"r", "m", "n", "2024-01-02 03:04:05"})).date())
                .isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(mapped(new SourceRow(cols, new Object[] {"r", "m", "n", "2024-01-02T03:04:05+01:00"})).date())
                .isEqualTo(OffsetDateTime.of(2024, 1, 2, 2, 4, 5, 0, ZoneOffset.UTC).toInstant());
    }
}
