package io.tributary.core.mapping;

/** What became of one source row: a registration, or a rejection with its reason. */
public sealed interface MappedRow permits MappedRow.Mapped, MappedRow.Rejected {

    /** The row became a registration. */
    record Mapped(Registration registration) implements MappedRow {
    }

    /** The row broke a rule and was not imported. */
    record Rejected(Rejection rejection) implements MappedRow {
    }
}
