package io.tributary.app.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import io.tributary.core.mapping.FieldValues;
import io.tributary.core.mapping.Registration;
import io.tributary.core.sink.SinkBatch;

/** A batch's columns as arrays, the shape {@code unnest} takes; {@link #subset} picks rows out. */
final class PostgresRows {
    final String[] reference;
    final String[] memberId;
    final String[] memberName;
    final String[] teamName;
    final String[] date;
    final String[] fields;
    final boolean[] deleted;
    final long[] hash;

    private PostgresRows(int n) {
        reference = new String[n];
        memberId = new String[n];
        memberName = new String[n];
        teamName = new String[n];
        date = new String[n];
        fields = new String[n];
        deleted = new boolean[n];
        hash = new long[n];
    }

    PostgresRows(SinkBatch batch) {
        this(batch.registrations().size());
        List<Registration> regs = batch.registrations();
        int n = regs.size();
        for (int i = 0; i < n; i++) {
            Registration r = regs.get(i);
            reference[i] = r.reference();
            memberId[i] = r.memberId();
            memberName[i] = r.memberName();
            teamName[i] = r.teamName();
            date[i] = FieldValues.isoInstant(r.date());
            fields[i] = r.fieldsJson();
            deleted[i] = r.deleted();
            hash[i] = Upsert.contentHash(batch.memberIdSource(), r, date[i]);
        }
    }

    private PostgresRows(PostgresRows all, int[] picked) {
        this(picked.length);
        int n = picked.length;
        for (int j = 0; j < n; j++) {
            int i = picked[j];
            reference[j] = all.reference[i];
            memberId[j] = all.memberId[i];
            memberName[j] = all.memberName[i];
            teamName[j] = all.teamName[i];
            date[j] = all.date[i];
            fields[j] = all.fields[i];
            deleted[j] = all.deleted[i];
            hash[j] = all.hash[i];
        }
    }

    PostgresRows subset(int[] picked) {
        return picked.length == reference.length ? this : new PostgresRows(this, picked);
    }

    int size() {
        return reference.length;
    }

    long deleted() {
        long n = 0;
        for (boolean d : deleted) {
            n += d ? 1 : 0;
        }
        return n;
    }

    /** Binds the eight {@code unnest} arrays from parameter {@code first} on; returns the next parameter's index. */
    int bind(Connection c, PreparedStatement ps, int first) throws SQLException {
        int p = first;
        ps.setArray(p++, c.createArrayOf("varchar", reference));
        ps.setArray(p++, c.createArrayOf("varchar", memberId));
        ps.setArray(p++, c.createArrayOf("varchar", memberName));
        ps.setArray(p++, c.createArrayOf("varchar", teamName));
        ps.setArray(p++, c.createArrayOf("varchar", date));
        ps.setArray(p++, c.createArrayOf("varchar", fields));
        ps.setObject(p++, deleted);
        ps.setObject(p++, hash);
        return p;
    }
}