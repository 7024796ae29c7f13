package io.tributary.dialect.postgresql;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.postgresql.client.EncodedParameter;
import io.r2dbc.postgresql.codec.Codec;
import io.r2dbc.postgresql.codec.CodecMetadata;
import io.r2dbc.postgresql.codec.CodecRegistry;
import io.r2dbc.postgresql.codec.PostgresTypeIdentifier;
import io.r2dbc.postgresql.codec.PostgresqlObjectId;
import io.r2dbc.postgresql.extension.CodecRegistrar;
import io.r2dbc.postgresql.message.Format;
import reactor.core.publisher.Mono;

/**
 * Reads {@code timestamptz} and {@code timestamp} values sent as text ({@code 2024-03-01 12:00:00.5+01}) with a
 * hand-written parser instead of the driver's {@code java.time} formatter, which took a third of a source run's CPU.
 * The values are the very ones the driver's codecs return ({@link OffsetDateTime} at the session's offset,
 * {@link LocalDateTime}); anything but the plain form (BC dates, {@code infinity}, years past 9999) and every
 * encoding goes to the driver's own codec. Used when a column is read as exactly that type (see
 * {@link PostgresColumnReaders}); binary results stay with the driver.
 */
final class PostgresTimestamps implements CodecRegistrar {

    /** One instance, so that the driver options of sources with the same settings stay equal (they share a pool). */
    static final PostgresTimestamps INSTANCE = new PostgresTimestamps();

    private PostgresTimestamps() {
    }

    @Override
    public Publisher<Void> register(PostgresqlConnection connection, ByteBufAllocator allocator, CodecRegistry registry) {
        return Mono.fromRunnable(() -> {
            Codec<OffsetDateTime> zoned = builtIn(registry, PostgresqlObjectId.TIMESTAMPTZ, OffsetDateTime.class);
            Codec<LocalDateTime> local = builtIn(registry, PostgresqlObjectId.TIMESTAMP, LocalDateTime.class);
            if (zoned != null) {
                registry.addFirst(new TextCodec<>(OffsetDateTime.class, PostgresqlObjectId.TIMESTAMPTZ, zoned,
                        PostgresTimestamps::offsetDateTime));
            }
            if (local != null) {
                registry.addFirst(new TextCodec<>(LocalDateTime.class, PostgresqlObjectId.TIMESTAMP, local,
                        PostgresTimestamps::localDateTime));
            }
        });
    }

    @Override
    public String toString() {
        return "PostgresTimestamps";
    }

    @SuppressWarnings("unchecked")
    private static <T> @Nullable Codec<T> builtIn(CodecRegistry registry, PostgresqlObjectId type, Class<T> javaType) {
        for (Codec<?> codec : registry) {
            if (!(codec instanceof TextCodec) && codec.canDecode(type.getObjectId(), Format.FORMAT_TEXT, javaType)) {
                return (Codec<T>) codec;
            }
        }
        return null;
    }

    /** The longest text of the plain form: 19 + 10 (fraction) + 9 (offset). */
    private static final int MAX_LENGTH = 38;

    /** {@code YYYY-MM-DD HH:MM:SS[.f{1,9}]±HH[:MM[:SS]]}, or {@code null} for any other form. */
    static @Nullable OffsetDateTime offsetDateTime(ByteBuf buffer) {
        byte[] text = bytes(buffer);
        if (text == null) {
            return null;
        }
        int end = text.length;
        long dateTime = dateTime(text);
        if (dateTime < 0) {
            return null;
        }
        int p = (int) (dateTime >>> 32);
        if (p + 3 > end || (text[p] != '+' && text[p] != '-')) {
            return null;
        }
        int sign = text[p] == '-' ? -1 : 1;
        int hours = digits(text, p + 1, 2);
        int minutes = 0;
        int seconds = 0;
        p += 3;
        if (p < end) {
            if (p + 3 > end || text[p] != ':' || (minutes = digits(text, p + 1, 2)) < 0) {
                return null;
            }
            p += 3;
            if (p < end && (p + 3 != end || text[p] != ':' || (seconds = digits(text, p + 1, 2)) < 0)) {
                return null;
            }
        }
        if (hours < 0) {
            return null;
        }
        try {
            return OffsetDateTime.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2),
                    digits(text, 14, 2), digits(text, 17, 2), (int) dateTime,
                    ZoneOffset.ofHoursMinutesSeconds(sign * hours, sign * minutes, sign * seconds));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** {@code YYYY-MM-DD HH:MM:SS[.f{1,9}]}, or {@code null} for any other form. */
    static @Nullable LocalDateTime localDateTime(ByteBuf buffer) {
        byte[] text = bytes(buffer);
        if (text == null) {
            return null;
        }
        long dateTime = dateTime(text);
        if (dateTime < 0 || (int) (dateTime >>> 32) != text.length) {
            return null;
        }
        try {
            return LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2),
                    digits(text, 14, 2), digits(text, 17, 2), (int) dateTime);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The readable bytes, copied at once (reading a pooled buffer byte by byte checks it at every byte). */
    private static byte @Nullable [] bytes(ByteBuf buffer) {
        int length = buffer.readableBytes();
        if (length < 19 || length > MAX_LENGTH) {
            return null;
        }
        byte[] text = new byte[length];
        buffer.getBytes(buffer.readerIndex(), text);
        return text;
    }

    /**
     * Checks the date and time of day and reads the fraction: the position after them in the high half and the
     * nanoseconds in the low half, or -1 when the text is not of the form.
     */
    private static long dateTime(byte[] t) {
        if (t[4] != '-' || t[7] != '-' || t[10] != ' ' || t[13] != ':' || t[16] != ':' || digits(t, 0, 4) < 0
                || digits(t, 5, 2) < 0 || digits(t, 8, 2) < 0 || digits(t, 11, 2) < 0 || digits(t, 14, 2) < 0
                || digits(t, 17, 2) < 0) {
            return -1;
        }
        int p = 19;
        int nanos = 0;
        if (p < t.length && t[p] == '.') {
            int scale = 0;
            p++;
            while (p < t.length && scale < 10) {
                int d = t[p] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                nanos = nanos * 10 + d;
                scale++;
                p++;
            }
            if (scale == 0 || scale > 9) {
                return -1;
            }
            for (int i = scale; i < 9; i++) {
                nanos *= 10;
            }
        }
        return ((long) p << 32) | nanos;
    }

    /** The number written with {@code count} ASCII digits at {@code at}, or -1. */
    private static int digits(byte[] t, int at, int count) {
        int value = 0;
        for (int i = 0; i < count; i++) {
            int d = t[at + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** Decodes text with {@code parse}, falls back to the driver's codec; encodes with the driver's codec. */
    private static final class TextCodec<T> implements Codec<T>, CodecMetadata {

        private final Class<T> javaType;
        private final PostgresqlObjectId type;
        private final Codec<T> driver;
        private final Function<ByteBuf, @Nullable T> parse;

        TextCodec(Class<T> javaType, PostgresqlObjectId type, Codec<T> driver, Function<ByteBuf, @Nullable T> parse) {
            this.javaType = javaType;
            this.type = type;
            this.driver = driver;
            this.parse = parse;
        }

        @Override
        public boolean canDecode(int dataType, Format format, Class<?> requested) {
            return dataType == type.getObjectId() && format == Format.FORMAT_TEXT && requested == javaType;
        }

        @Override
        public @Nullable T decode(@Nullable ByteBuf buffer, int dataType, Format format, Class<? extends T> requested) {
            if (buffer == null) {
                return null;
            }
            T value = parse.apply(buffer);
            return value != null ? value : driver.decode(buffer, dataType, format, requested);
        }

        @Override
        public boolean canEncode(Object value) {
            return driver.canEncode(value);
        }

        @Override
        public boolean canEncodeNull(Class<?> requested) {
            return driver.canEncodeNull(requested);
        }

        @Override
        public EncodedParameter encode(Object value) {
            return driver.encode(value);
        }

        @Override
        public EncodedParameter encode(Object value, int dataType) {
            return driver.encode(value, dataType);
        }

        @Override
        public EncodedParameter encodeNull() {
            return driver.encodeNull();
        }

        @Override
        public Class<?> type() {
            return javaType;
        }

        @Override
        public Iterable<Format> getFormats() {
            return List.of(Format.FORMAT_TEXT);
        }

        @Override
        public Iterable<? extends PostgresTypeIdentifier> getDataTypes() {
            return List.of(type);
        }
    }
}
