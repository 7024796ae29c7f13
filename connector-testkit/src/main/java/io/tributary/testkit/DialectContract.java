package io.tributary.testkit;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.tributary.core.ConnectorException;
import io.tributary.core.Secret;
import io.tributary.core.SourceDefinition;
import io.tributary.core.spi.Dialect;
import io.tributary.core.spi.DialectProvider;
import io.tributary.core.spi.Dialects;
import io.tributary.core.template.RenderedStatement;
import io.tributary.core.template.StatementTemplate;
import io.tributary.core.template.Variable;

/**
 * The unit tests every dialect passes, written once: a statement as users write it becomes the SQL sent with its
 * markers, a window bound becomes the value bound, the provider is found for its URLs and no other, and a bad setting
 * is refused with a reason and without the secret. A dialect's test class extends this and adds its own rows (and
 * its own tests for what only it does); no database is needed. The rows are instance methods, so subclasses may use
 * their dialect's package-private constants.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DialectContract {

    /** The variables of a statement that binds the lower bound, then the upper. */
    protected static final List<Variable> LOWER_UPPER = List.of(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT);
    /** The lower bound, then the upper twice. */
    protected static final List<Variable> LOWER_UPPER_UPPER = List.of(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT,
            Variable.UPPER_DATE_LIMIT);
    /** A window bound with nanoseconds, to see what each dialect keeps of it. */
    protected static final Instant BOUND = Instant.parse("2024-03-01T09:15:30.123456789Z");

    /** A source of this dialect's URL, with a password the refusals must never show. */
    protected static SourceDefinition source(String url, String user) {
        return SourceDefinition.builder("sales", url, "SELECT 1 AS reference").credentials(user, Secret.of("t1ger!")).build();
    }

    /** The provider under test, as ServiceLoader would create it. */
    protected abstract DialectProvider provider();

    /** Statements as users write them, with the SQL the dialect sends. */
    protected abstract Stream<Rendering> renderings();

    /** Window bounds and the value bound for each. */
    protected abstract Stream<Bound> bounds();

    /** URLs the provider is found for. */
    protected abstract Stream<String> supportedUrls();

    /** URLs of other databases, which the provider must leave to them. */
    protected abstract Stream<String> otherUrls();

    /** Sources whose settings the provider refuses when it connects, without connecting. */
    protected abstract Stream<Refusal> refusals();

    /** A statement and what the dialect makes of it. */
    public record Rendering(String statement, String sql, List<Variable> parameters) {
        public Rendering {
            requireNonNull(statement, "statement must not be null");
            requireNonNull(sql, "sql must not be null");
            parameters = List.copyOf(parameters);
        }

        @Override
        public String toString() {
            return statement;
        }
    }

    /** A window bound in a source's zone, and the value the dialect binds for it. */
    public record Bound(Instant instant, ZoneId zone, Object value) {
        public Bound {
            requireNonNull(instant, "instant must not be null");
            requireNonNull(zone, "zone must not be null");
            requireNonNull(value, "value must not be null");
        }

        @Override
        public String toString() {
            return instant + " in " + zone;
        }
    }

    /** A source the provider refuses, and words the message must hold. The source's password must not show. */
    public record Refusal(SourceDefinition source, String reason) {
        public Refusal {
            requireNonNull(source, "source must not be null");
            requireNonNull(reason, "reason must not be null");
        }

        @Override
        public String toString() {
            return source.url() + " -> " + reason;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renderings")
    @DisplayName("a statement becomes the SQL sent, one marker per variable")
    void rendersTheStatement(Rendering row) {
        Dialect dialect = provider().dialect();

        RenderedStatement rendered = StatementTemplate.parse(row.statement(), dialect.syntax()).render(dialect.bindMarkers());

        assertThat(rendered.sql()).isEqualTo(row.sql());
        assertThat(rendered.parameters()).containsExactlyElementsOf(row.parameters());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bounds")
    @DisplayName("a window bound is bound as the value the database compares right")
    void bindsTheBound(Bound row) {
        assertThat(provider().dialect().bindValue(row.instant(), row.zone())).isEqualTo(row.value());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("supportedUrls")
    @DisplayName("the provider is chosen for its URLs")
    void isFoundForItsUrls(String url) {
        DialectProvider provider = provider();
        assertThat(provider.supports(url)).isTrue();
        assertThat(new Dialects(List.of(provider)).select(SourceDefinition.builder("contract", url, "SELECT 1").build()).name())
                .isEqualTo(provider.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherUrls")
    @DisplayName("the provider leaves other databases' URLs alone")
    void leavesOtherUrls(String url) {
        assertThat(provider().supports(url)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    @DisplayName("a bad setting is refused naming the source and the reason, never the secret")
    void refusesBadSettings(Refusal row) {
        String password = row.source().password().reveal();
        assertThatThrownBy(() -> provider().connect(row.source()))
                .isInstanceOf(ConnectorException.Permanent.class)
                .hasMessageStartingWith("source " + row.source().id() + ": ")
                .hasMessageContaining(row.reason())
                .satisfies(e -> {
                    if (!password.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(password);
                    }
                });
    }

    @Test
    @DisplayName("ServiceLoader finds the provider, under the dialect's name")
    void isDiscovered() {
        assertThat(Dialects.discover().names()).contains(provider().name());
        assertThat(provider().dialect().name()).isEqualTo(provider().name());
    }

    @Test
    @DisplayName("NULL stays NULL")
    void nullStaysNull() {
        assertThat(provider().dialect().normalize(null)).isNull();
    }
}
