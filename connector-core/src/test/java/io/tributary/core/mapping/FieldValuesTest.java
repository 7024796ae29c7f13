package io.tributary.core.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;

import org.junit.jupiter.api.Test;

class FieldValuesTest {

    @Test
    void instantsAreWrittenAsInstantToStringWritesThem() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong() % 400_000_000_000L;
            int nanos = switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(FieldValues.isoInstant(instant)).isEqualTo(instant.toString());
        }
        for (Instant edge : new Instant[] {Instant.EPOCH, Instant.parse("0000-01-01T00:00:00Z"),
                Instant.parse("-0001-12-31T23:59:59.999999999Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("2024-02-29T12:00:00.100Z"), Instant.MIN, Instant.MAX}) {
            assertThat(FieldValues.isoInstant(edge)).isEqualTo(edge.toString());
        }
    }

    @Test
    void stringsAreEscapedWhereJsonRequiresIt() {
        assertThat(FieldValues.toJson("plain text", ZoneOffset.UTC)).isEqualTo("\"plain text\"");
        assertThat(FieldValues.toJson("Enterprise \"Gold\"", ZoneOffset.UTC)).isEqualTo("\"Enterprise \\\"Gold\\\"\"");
        assertThat(FieldValues.toJson("a\\b\nc\td\u0001", ZoneOffset.UTC)).isEqualTo("\"a\\\\b\\nc\\td\\u0001\"");
        assertThat(FieldValues.toJson("", ZoneOffset.UTC)).isEqualTo("\"\"");
    }
}
