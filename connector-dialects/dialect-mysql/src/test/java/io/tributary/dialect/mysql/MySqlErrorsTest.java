package io.tributary.dialect.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.r2dbc.R2dbcErrors;

class MySqlErrorsTest {

    @Test
    void serverErrorWithoutClassIsPermanentNotALostConnection() {
        Throwable generic = R2dbcErrors.classify(new R2dbcNonTransientResourceException(
                "Cannot execute statement in a READ ONLY transaction", null, 1792), Secret.empty());
        assertThat(generic).as("what the generic rules make of it").isInstanceOf(ConnectorException.Transient.class);

        assertThat(MySqlErrors.refine(generic)).isInstanceOf(ConnectorException.Permanent.class)
                .hasMessage("Cannot execute statement in a READ ONLY transaction [MySQL error 1792]");
    }

    @Test
    void killedDeadlockedAndShutdownAreTransient() {
        for (int code : new int[] {1927, 1213, 1205, 1053, 1040, 2013}) {
            Throwable e = R2dbcErrors.classify(new R2dbcNonTransientResourceException("x", null, code), Secret.empty());
            assertThat(MySqlErrors.refine(e)).as("error " + code).isInstanceOf(ConnectorException.Transient.class);
        }
    }

    @Test
    void unknownZoneExplainsTheFix() {
        Throwable e = R2dbcErrors.classify(new R2dbcNonTransientResourceException(
                "Unknown or incorrect time zone: 'Europe/Copenhagen'", null, 1298), Secret.empty());
        assertThat(MySqlErrors.refine(e)).isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageContaining("Europe/Copenhagen").hasMessageContaining("sessionVariables")
                .hasMessageContaining("mysql_tzinfo_to_sql");
    }

    @Test
    void clientSideFailuresAreLeftAsClassified() {
        Throwable closed = R2dbcErrors.classify(new R2dbcNonTransientResourceException("Connection unexpectedly closed"),
                Secret.empty());
        assertThat(MySqlErrors.refine(closed)).isSameAs(closed);
        IllegalStateException other = new IllegalStateException("x");
        assertThat(MySqlErrors.refine(other)).isSameAs(other);
    }

    @Test
    void passwordNeverInMessage() {
        Throwable e = R2dbcErrors.classify(new R2dbcNonTransientResourceException("bad secret-pw here", null, 1105),
                Secret.of("secret-pw"));
        assertThat(MySqlErrors.refine(e).getMessage()).doesNotContain("secret-pw").contains("******");
    }
}
