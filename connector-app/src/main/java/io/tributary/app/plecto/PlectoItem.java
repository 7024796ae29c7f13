package io.tributary.app.plecto;

import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.tributary.core.mapping.Fingerprint;
import io.tributary.core.mapping.Registration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One registration as Plecto's registrations API takes it: {@code data_source}, {@code member_api_provider} (the
 * Member ID Source), {@code member_api_id}, {@code member_name}, {@code external_id} (the reference), {@code date}
 * (ISO-8601 UTC), {@code team_name}, then every custom field with its exact JSON value. Keys whose value is
 * {@code null} among the standard ones are left out.
 *
 * @param json the item's JSON object, exactly as it is sent
 * @param hash what decides whether Plecto already has this registration: the hash of {@code json}
 */
record PlectoItem(Registration registration, String json, long hash) {

    /** The keys Tributary writes itself; a custom field may not take one of them. */
    static final List<String> STANDARD_KEYS = List.of("data_source", "member_api_provider", "member_api_id",
            "member_name", "external_id", "date", "team_name");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The item, or why it cannot be sent. */
    static Result of(String dataSource, String memberIdSource, Registration r) {
        Optional<String> clash = clash(r.fieldsJson());
        if (clash.isPresent()) {
            return new Result(null, "custom field '" + clash.get() + "' has the name of a Plecto field Tributary fills "
                    + "itself (" + String.join(", ", STANDARD_KEYS) + "); rename the column in the statement");
        }
        StringBuilder json = new StringBuilder(160 + r.fieldsJson().length());
        json.append("{\"data_source\":").append(quote(dataSource));
        json.append(",\"member_api_provider\":").append(quote(memberIdSource));
        json.append(",\"member_api_id\":").append(quote(r.memberId()));
        if (r.memberName() != null) {
            json.append(",\"member_name\":").append(quote(r.memberName()));
        }
        json.append(",\"external_id\":").append(quote(r.reference()));
        json.append(",\"date\":").append(quote(r.date().toString()));
        if (r.teamName() != null) {
            json.append(",\"team_name\":").append(quote(r.teamName()));
        }
        String fields = r.fieldsJson().strip();
        // the custom fields are already exact JSON: their members are copied as they are
        String members = fields.substring(1, fields.length() - 1).strip();
        if (!members.isEmpty()) {
            json.append(',').append(members);
        }
        String text = json.append('}').toString();
        return new Result(new PlectoItem(r, text, Fingerprint.of(text)), null);
    }

    /** @param item the item; {@code null} when it was refused, and {@code refusal} says why */
    record Result(@Nullable PlectoItem item, @Nullable String refusal) {
    }

    private static Optional<String> clash(String fieldsJson) {
        boolean maybe = false;
        for (String key : STANDARD_KEYS) {
            if (fieldsJson.contains("\"" + key + "\"")) {
                maybe = true;
                break;
            }
        }
        if (!maybe) {
            return Optional.empty();
        }
        JsonNode fields = JSON.readTree(fieldsJson);
        return STANDARD_KEYS.stream().filter(fields::has).findFirst();
    }

    static String quote(String s) {
        return JSON.writeValueAsString(s);
    }
}
