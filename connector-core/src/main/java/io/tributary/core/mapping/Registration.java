package io.tributary.core.mapping;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One imported event (a sale, a call, a ticket).
 *
 * @param reference  the source's unique key of the row
 * @param memberId   who the registration belongs to, as issued by the source's Member ID Source
 * @param memberName the member's display name, {@code null} to leave a known member's name as it is
 * @param date       when it happened, in UTC
 * @param teamName   the member's team, or {@code null}
 * @param deleted    the source marks the row as deleted (Tributary's {@code deleted} column)
 * @param fieldsJson the custom fields as a JSON object, keys in column order, values exact
 */
public record Registration(
        String reference,
        String memberId,
        @Nullable String memberName,
        Instant date,
        @Nullable String teamName,
        boolean deleted,
        String fieldsJson) {

    public Registration {
        requireNonNull(reference, "reference must not be null");
        requireNonNull(memberId, "memberId must not be null");
        requireNonNull(date, "date must not be null");
        requireNonNull(fieldsJson, "fieldsJson must not be null");
    }
}
