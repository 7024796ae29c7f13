package io.tributary.kafka;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.Date;
import java.util.Map;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;
import org.jspecify.annotations.Nullable;

import io.tributary.core.mapping.Registration;

/**
 * Registrations as Connect records. Key: the source and the reference. Value: the registration, its date both as a
 * Connect {@code Timestamp} (milliseconds, what sinks understand) and exactly as microseconds since the epoch; the
 * custom fields as one JSON object text whose values are exact (decimals as written, nested JSON kept). A
 * {@code deleted} row is a tombstone (a null value), which a compacted topic turns into a delete. The record's
 * timestamp is the registration's date. Partition: one per source; offset: the source's checkpoint.
 */
final class RegistrationRecords {

    static final String PARTITION_KEY = "source";
    static final String OFFSET_KEY = "checkpoint";

    static final Schema KEY_SCHEMA = SchemaBuilder.struct().name("io.tributary.RegistrationKey").version(1)
            .field("source", Schema.STRING_SCHEMA)
            .field("reference", Schema.STRING_SCHEMA)
            .build();

    static final Schema VALUE_SCHEMA = SchemaBuilder.struct().name("io.tributary.Registration").version(1)
            .field("source", Schema.STRING_SCHEMA)
            .field("reference", Schema.STRING_SCHEMA)
            .field("member_id_source", Schema.STRING_SCHEMA)
            .field("member_id", Schema.STRING_SCHEMA)
            .field("member_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("team_name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("date", Timestamp.SCHEMA)
            .field("date_micros", Schema.INT64_SCHEMA)
            .field("fields", Schema.STRING_SCHEMA)
            .build();

    private RegistrationRecords() {
    }

    static Map<String, String> partition(String sourceId) {
        return Map.of(PARTITION_KEY, sourceId);
    }

    /** The offset that resumes a source at {@code checkpoint}; {@code null}: from the source's start. */
    static Map<String, ?> offset(@Nullable Instant checkpoint) {
        return Collections.singletonMap(OFFSET_KEY, checkpoint == null ? null : checkpoint.toString());
    }

    /** The checkpoint an offset holds, if it holds one. */
    static @Nullable Instant checkpoint(@Nullable Map<String, ?> offset) {
        if (offset == null || !(offset.get(OFFSET_KEY) instanceof String s)) {
            return null;
        }
        return Instant.parse(s);
    }

    static SourceRecord record(String topic, String sourceId, String memberIdSource, Registration r,
            @Nullable Instant checkpoint) {
        Struct key = new Struct(KEY_SCHEMA).put("source", sourceId).put("reference", r.reference());
        Struct value = null;
        if (!r.deleted()) {
            value = new Struct(VALUE_SCHEMA)
                    .put("source", sourceId)
                    .put("reference", r.reference())
                    .put("member_id_source", memberIdSource)
                    .put("member_id", r.memberId())
                    .put("member_name", r.memberName())
                    .put("team_name", r.teamName())
                    .put("date", Date.from(r.date()))
                    .put("date_micros", ChronoUnit.MICROS.between(Instant.EPOCH, r.date()))
                    .put("fields", r.fieldsJson());
        }
        return new SourceRecord(partition(sourceId), offset(checkpoint), topic, null, KEY_SCHEMA, key,
                value == null ? null : VALUE_SCHEMA, value, r.date().toEpochMilli());
    }

    /** The same record resuming at {@code checkpoint}: the last record of a completed window. */
    static SourceRecord withCheckpoint(SourceRecord record, Instant checkpoint) {
        return new SourceRecord(record.sourcePartition(), offset(checkpoint), record.topic(), record.kafkaPartition(),
                record.keySchema(), record.key(), record.valueSchema(), record.value(), record.timestamp());
    }
}
