package io.tributary.app.support;

import java.util.Map;

import org.flywaydb.core.Flyway;

import com.zaxxer.hikari.HikariDataSource;

/** An in-memory H2 store with the app's Flyway schema, for store tests that need no running app. */
public final class H2Store {

    private H2Store() {
    }

    /** A pool on a fresh in-memory database {@code name}, migrated as the app migrates its H2 store. */
    public static HikariDataSource migrated(String name) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        dataSource.setUsername("sa");
        Flyway.configure().dataSource(dataSource).placeholders(Map.of("json_type", "json"))
                .locations("classpath:db/migration").load().migrate();
        return dataSource;
    }
}
