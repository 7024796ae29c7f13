package io.tributary.dialect.bigquery;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Range;
import com.google.cloud.bigquery.StandardSQLTypeName;

import io.tributary.core.mapping.RawJson;

/**
 * BigQuery's result values, which the REST API sends as text, turned into the plain Java values of
 * {@link io.tributary.core.mapping.FieldValues} by the column's schema: {@code TIMESTAMP} an {@code Instant},
 * {@code DATETIME} a zone-less {@code LocalDateTime} (read in the source's zone), {@code DATE}, {@code TIME},
 * {@code NUMERIC} / {@code BIGNUMERIC} an exact {@code BigDecimal}, {@code INT64} a {@code Long}, {@code FLOAT64} a
 * {@code Double}, {@code BOOL}, {@code STRING}, {@code BYTES} bytes, {@code JSON} nested, an {@code ARRAY} a list,
 * a {@code STRUCT} an object of its fields in order, a {@code RANGE} an object of its {@code start} and {@code end} as BigQuery writes them.
 * {@code GEOGRAPHY} (WKT) and {@code INTERVAL} stay text.
 */
final class BigQueryValues {

    private BigQueryValues() {
    }

    /** Reads one column's value. */
    @FunctionalInterface
    interface Reader {
        @Nullable Object read(FieldValue value);
    }

    /** The reader for a column (or a STRUCT's field) of this schema. */
    static Reader reader(Field field) {
        Reader element = element(field);
        if (field.getMode() == Field.Mode.REPEATED) {
            return value -> {
                if (value.isNull()) {
                    return null;
                }
                List<FieldValue> items = value.getRepeatedValue();
                List<@Nullable Object> out = new ArrayList<>(items.size());
                for (FieldValue item : items) {
                    out.add(element.read(item));
                }
                return out;
            };
        }
        return element;
    }

    private static Reader element(Field field) {
        StandardSQLTypeName type = field.getType().getStandardType();
        switch (type) {
            case TIMESTAMP:
                return nullable(FieldValue::getTimestampInstant);
            case DATETIME:
                // the REST API writes a DATETIME with a 'T'; older responses used a space
                return nullable(v -> LocalDateTime.parse(v.getStringValue().replace(' ', 'T')));
            case DATE:
                return nullable(v -> LocalDate.parse(v.getStringValue()));
            case TIME:
                return nullable(v -> LocalTime.parse(v.getStringValue()));
            case NUMERIC:
            case BIGNUMERIC:
                return nullable(FieldValue::getNumericValue);
            case INT64:
                return nullable(FieldValue::getLongValue);
            case FLOAT64:
                return nullable(FieldValue::getDoubleValue);
            case BOOL:
                return nullable(FieldValue::getBooleanValue);
            case BYTES:
                return nullable(FieldValue::getBytesValue);
            case JSON:
                return nullable(v -> new RawJson(v.getStringValue()));
            case STRUCT:
                return struct(field.getSubFields());
            case RANGE:
                return range();
            default:
                // STRING, GEOGRAPHY (WKT), INTERVAL and anything newer: the service's text
                return nullable(FieldValue::getStringValue);
        }
    }

    private static Reader struct(@Nullable FieldList fields) {
        if (fields == null) {
            return nullable(FieldValue::getValue);
        }
        List<Reader> readers = new ArrayList<>(fields.size());
        for (Field f : fields) {
            readers.add(reader(f));
        }
        return nullable(v -> {
            FieldValueList values = v.getRecordValue();
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            for (int i = 0; i < readers.size(); i++) {
                out.put(fields.get(i).getName(), readers.get(i).read(values.get(i)));
            }
            return out;
        });
    }

    /** Bounds as the service writes them; an unbounded end is {@code null}. */
    private static Reader range() {
        return nullable(v -> {
            Range range = v.getRangeValue();
            Map<String, @Nullable Object> out = new LinkedHashMap<>();
            out.put("start", range.getStart().isNull() ? null : range.getStart().getStringValue());
            out.put("end", range.getEnd().isNull() ? null : range.getEnd().getStringValue());
            return out;
        });
    }

    private static Reader nullable(Reader reader) {
        return value -> value.isNull() ? null : reader.read(value);
    }
}
