package io.tributary.core.mapping;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Turns source rows into registrations.
 * <p>
 * Standard columns are matched case-insensitively: {@code reference} (required, not NULL, not empty),
 * {@code member_id} (required, not NULL), {@code member_name} (required column, NULL keeps the member's known
 * name), {@code date} (required, not NULL, converted to UTC; zone-less values are read in the source's zone),
 * {@code team_name} (optional) and {@code deleted} (optional boolean). Every other column becomes a custom field
 * with an exact JSON value (see {@link FieldValues}). A row that breaks a rule is rejected with a reason.
 * <p>
 * Not thread-safe: one mapper per run. It caches its column plan per result.
 */
public final class RegistrationMapper {

    /** Columns every result must have. */
    public static final List<String> REQUIRED_COLUMNS = List.of("reference", "member_id", "member_name", "date");

    static final Set<String> STANDARD_COLUMNS = Set.of("reference", "member_id", "member_name", "date", "team_name", "deleted");

    /** References longer than this are rejected; the store keys on them. */
    public static final int MAX_REFERENCE_LENGTH = 500;

    private final ZoneId zone;
    private @Nullable Columns planned;
    private @Nullable Plan plan;

    public RegistrationMapper(ZoneId zone) {
        this.zone = requireNonNull(zone, "zone must not be null");
    }

    /**
     * @param row       the row
     * @param rowNumber its 1-based number in the run, used in rejection reasons
     * @throws MissingColumnsException when the result lacks a required column
     */
    public MappedRow map(SourceRow row, long rowNumber) {
        Plan p = planFor(row.columns());
        Object rawReference = row.value(p.reference);
        if (rawReference == null) {
            return reject(rowNumber, null, "reference is NULL");
        }
        String reference = text(rawReference);
        if (reference.isBlank()) {
            return reject(rowNumber, null, "reference is empty");
        }
        if (reference.length() > MAX_REFERENCE_LENGTH) {
            return reject(rowNumber, reference.substring(0, 40) + "...",
                    "reference is longer than " + MAX_REFERENCE_LENGTH + " characters");
        }
        Object rawMember = row.value(p.memberId);
        if (rawMember == null) {
            return reject(rowNumber, reference, "member_id is NULL");
        }
        String memberId = text(rawMember);
        if (memberId.isBlank()) {
            return reject(rowNumber, reference, "member_id is empty");
        }
        Object rawDate = row.value(p.date);
        if (rawDate == null) {
            return reject(rowNumber, reference, "date is NULL");
        }
        Optional<Instant> date = FieldValues.toInstant(rawDate, zone);
        if (date.isEmpty()) {
            return reject(rowNumber, reference, "date value '" + shorten(rawDate) + "' ("
                    + rawDate.getClass().getSimpleName() + ") is not a date or timestamp");
        }
        boolean deleted = false;
        if (p.deleted >= 0) {
            Object rawDeleted = row.value(p.deleted);
            Optional<Boolean> flag = rawDeleted == null ? Optional.of(false) : bool(rawDeleted);
            if (flag.isEmpty()) {
                return reject(rowNumber, reference, "deleted value '" + shorten(rawDeleted) + "' is not a boolean");
            }
            deleted = flag.get();
        }
        Object rawName = row.value(p.memberName);
        String teamName = p.teamName < 0 ? null : blankToNull(row.value(p.teamName));
        String nul = columnWithNul(row, p, reference, memberId, rawName, teamName);
        if (nul != null) {
            // PostgreSQL's text and jsonb cannot hold U+0000 (H2 can): refused alike on every store and sink
            return reject(rowNumber, reference, nul + " contains a NUL character (U+0000), which "
                    + "the registration store cannot hold");
        }
        return new MappedRow.Mapped(new Registration(reference, memberId, blankToNull(rawName), date.get(), teamName,
                deleted, customFields(row, p)));
    }

    /** The name of the first column whose text holds U+0000, or {@code null}. */
    private static @Nullable String columnWithNul(SourceRow row, Plan p, String reference, String memberId,
            @Nullable Object memberName, @Nullable String teamName) {
        if (reference.indexOf('\0') >= 0) {
            return "reference";
        }
        if (memberId.indexOf('\0') >= 0) {
            return "member_id";
        }
        if (memberName != null && memberName.toString().indexOf('\0') >= 0) {
            return "member_name";
        }
        if (teamName != null && teamName.indexOf('\0') >= 0) {
            return "team_name";
        }
        for (int column : p.custom) {
            Object value = row.value(column);
            if ((value instanceof CharSequence text && text.toString().indexOf('\0') >= 0)
                    || (value instanceof RawJson json && json.json().contains("\\u0000"))) {
                return row.columns().name(column);
            }
        }
        return null;
    }

    private String customFields(SourceRow row, Plan p) {
        StringBuilder json = new StringBuilder(64 + 24 * p.custom.length);
        json.append('{');
        for (int i = 0; i < p.custom.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            int column = p.custom[i];
            FieldValues.appendString(json, row.columns().name(column));
            json.append(':');
            FieldValues.appendJson(json, row.value(column), zone);
        }
        return json.append('}').toString();
    }

    private Plan planFor(Columns columns) {
        if (columns != planned || plan == null) {
            plan = Plan.of(columns);
            planned = columns;
        }
        return plan;
    }

    /** A NUL in a rejected value is shown as {@code \0}: the import log cannot hold it either. */
    private static MappedRow reject(long rowNumber, @Nullable String reference, String reason) {
        return new MappedRow.Rejected(new Rejection(rowNumber, reference == null ? null : reference.replace("\0", "\\0"),
                "row " + rowNumber + ": " + reason.replace("\0", "\\0")));
    }

    private static String text(Object value) {
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value.toString();
    }

    private static @Nullable String blankToNull(@Nullable Object value) {
        if (value == null) {
            return null;
        }
        String s = value.toString().strip();
        return s.isEmpty() ? null : s;
    }

    private static Optional<Boolean> bool(Object value) {
        if (value instanceof Boolean b) {
            return Optional.of(b);
        }
        if (value instanceof Number n) {
            long l = n.longValue();
            return l == 0 || l == 1 ? Optional.of(l == 1) : Optional.empty();
        }
        return switch (value.toString().strip().toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "1" -> Optional.of(true);
            case "false", "f", "no", "n", "0", "" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private static String shorten(Object value) {
        String s = value.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Where the standard columns are in one result; -1 for an absent optional one. */
    private record Plan(int reference, int memberId, int memberName, int date, int teamName, int deleted, int[] custom) {

        static Plan of(Columns columns) {
            List<String> missing = new ArrayList<>();
            for (String required : REQUIRED_COLUMNS) {
                if (columns.indexOf(required).isEmpty()) {
                    missing.add(required);
                }
            }
            if (!missing.isEmpty()) {
                throw new MissingColumnsException(missing, columns.names());
            }
            List<Integer> custom = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                String lower = columns.name(i).toLowerCase(Locale.ROOT);
                // a second column with a standard name (SELECT *, s.date ...) is kept as a custom field
                if (!STANDARD_COLUMNS.contains(lower) || columns.indexOf(lower).getAsInt() != i) {
                    custom.add(i);
                }
            }
            return new Plan(index(columns, "reference"), index(columns, "member_id"), index(columns, "member_name"),
                    index(columns, "date"), index(columns, "team_name"), index(columns, "deleted"),
                    custom.stream().mapToInt(Integer::intValue).toArray());
        }

        private static int index(Columns columns, String name) {
            OptionalInt i = columns.indexOf(name);
            return i.isPresent() ? i.getAsInt() : -1;
        }
    }
}
