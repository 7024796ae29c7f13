package io.tributary.dialect.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.r2dbc.postgresql.codec.DefaultCodecs;
import io.r2dbc.postgresql.message.Format;

class PostgresTimestampsTest {

    private final DefaultCodecs driver = new DefaultCodecs(ByteBufAllocator.DEFAULT);

    @Test
    void readsWhatTheServerWritesAsTheDriverDoes() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            String local = String.format("%04d-%02d-%02d %02d:%02d:%02d%s", 1 + random.nextInt(9999), 1 + random.nextInt(12),
                    1 + random.nextInt(28), random.nextInt(24), random.nextInt(60), random.nextInt(60), fraction(random));
            String zoned = local + offset(random);
            assertThat(PostgresTimestamps.offsetDateTime(buffer(zoned))).as(zoned)
                    .isEqualTo(driver.decode(buffer(zoned), 1184, Format.FORMAT_TEXT, OffsetDateTime.class));
            assertThat(PostgresTimestamps.localDateTime(buffer(local))).as(local)
                    .isEqualTo(driver.decode(buffer(local), 1114, Format.FORMAT_TEXT, LocalDateTime.class));
        }
    }

    @Test
    void leavesOtherFormsToTheDriver() {
        for (String text : new String[] {"infinity", "-infinity", "0044-03-15 12:00:00+00 BC", "10000-01-01 00:00:00+00",
                "2024-03-01 12:00+00", "2024-03-01T12:00:00+00", "2024-03-01 12:00:00", "2024-03-01 12:00:00+1",
                "2024-03-01 12:00:00.+00", "2024-03-01 12:00:00+01:3", "2024-13-01 12:00:00+00", ""}) {
            assertThat(PostgresTimestamps.offsetDateTime(buffer(text))).as(text).isNull();
        }
        for (String text : new String[] {"infinity", "0044-03-15 12:00:00 BC", "2024-03-01 12:00:00+00", "2024-03-01 12:00"}) {
            assertThat(PostgresTimestamps.localDateTime(buffer(text))).as(text).isNull();
        }
    }

    private static String fraction(Random random) {
        int digits = random.nextInt(7);
        if (digits == 0) {
            return "";
        }
        StringBuilder f = new StringBuilder(".");
        for (int i = 0; i < digits; i++) {
            f.append(i == digits - 1 ? 1 + random.nextInt(9) : random.nextInt(10));
        }
        return f.toString();
    }

    /** As the server writes offsets: hours always, minutes and seconds only when not zero. */
    private static String offset(Random random) {
        int seconds = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> (random.nextInt(29) - 14) * 3600;
            case 2 -> (random.nextInt(57) - 28) * 1800;
            default -> random.nextInt(2 * 14 * 3600) - 14 * 3600;
        };
        int abs = Math.abs(seconds);
        String text = (seconds < 0 ? "-" : "+") + String.format("%02d", abs / 3600);
        if (abs % 3600 != 0) {
            text += String.format(":%02d", abs / 60 % 60);
            if (abs % 60 != 0) {
                text += String.format(":%02d", abs % 60);
            }
        }
        return text;
    }

    private static ByteBuf buffer(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.US_ASCII));
    }
}
