package io.tributary.core.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StatementTemplateTest {

    private static RenderedStatement pg(String sql) {
        return StatementTemplate.parse(sql).render(BindMarkers.DOLLAR_NUMBERED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM t WHERE d >= {{ last_update_time }} ORDER BY d",
        "select * from t order\n   by d, id",
        "SELECT * FROM t ORDER /* the cap needs it */ BY d",
        "SELECT * FROM t ORDER -- the cap needs it\n BY d;"})
    void statementsThatDeclareTheirOrder(String sql) {
        assertThat(StatementTemplate.parse(sql).declaresOrder()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM t WHERE d >= {{ last_update_time }}",
        "SELECT * FROM t -- ORDER BY d",
        "SELECT * FROM t /* ORDER BY d */",
        "SELECT 'ORDER BY d' AS note FROM t",
        "SELECT \"ORDER\" BY_x FROM t",
        "SELECT order_id, by_whom FROM t",
        "WITH s AS (SELECT * FROM t) SELECT * FROM s",
        // a procedure's order cannot be seen from here: its capped runs narrow their window
        "EXEC dbo.sales @from = {{ last_update_time }}",
        "CALL sales(?, ?)"})
    void statementsThatDoNotDeclareTheirOrder(String sql) {
        assertThat(StatementTemplate.parse(sql).declaresOrder()).isFalse();
    }

    @Test
    void variablesBecomeBindMarkersInOrder() {
        RenderedStatement r = pg("SELECT * FROM sales WHERE updated >= {{ last_update_time }} AND updated < {{ upper_date_limit }}");
        assertThat(r.sql()).isEqualTo("SELECT * FROM sales WHERE updated >= $1 AND updated < $2");
        assertThat(r.parameters()).containsExactly(Variable.LAST_UPDATE_TIME, Variable.UPPER_DATE_LIMIT);
    }

    @Test
    void aVariableUsedTwiceIsBoundTwice() {
        RenderedStatement r = StatementTemplate.parse("SELECT 1 WHERE a > {{last_update_time}} OR b > {{last_update_time}}")
                .render(BindMarkers.QUESTION_MARK);
        assertThat(r.sql()).isEqualTo("SELECT 1 WHERE a > ? OR b > ?");
        assertThat(r.parameters()).containsExactly(Variable.LAST_UPDATE_TIME, Variable.LAST_UPDATE_TIME);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{last_update_time}}", "{{ last_update_time }}", "{{   last_update_time\t}}",
            "{{ last update time }}", "{{ LAST_UPDATE_TIME }}", "'{{ last_update_time }}'", "' {{ last update time }} '"})
    void spellingsOfTheVariable(String written) {
        RenderedStatement r = pg("SELECT * FROM t WHERE d > " + written);
        assertThat(r.sql()).isEqualTo("SELECT * FROM t WHERE d > $1");
        assertThat(r.parameters()).containsExactly(Variable.LAST_UPDATE_TIME);
    }

    @Test
    @DisplayName("a trailing semicolon, even on its own line after a comment, is accepted and dropped")
    void trailingSemicolon() {
        assertThat(pg("SELECT 1;").sql()).isEqualTo("SELECT 1");
        assertThat(pg("SELECT 1\n;\n").sql()).isEqualTo("SELECT 1");
        assertThat(pg("SELECT 1 -- done\n;  -- trailing comment\n/* and this */").sql()).isEqualTo("SELECT 1 -- done");
        assertThat(pg("SELECT 1;;").sql()).isEqualTo("SELECT 1");
    }

    @Test
    void valuesAreNeverSplicedIntoTheText() {
        RenderedStatement r = pg("SELECT '{{ upper_date_limit }}' AS x");
        assertThat(r.sql()).doesNotContain("{{").doesNotContain("'");
    }

    @Test
    void semicolonsAndBracesInsideStringsCommentsAndDollarQuotesAreText() {
        String sql = "SELECT 'a;b', \"we;ird\", $x$ ; {{ nothing }} $x$, E'it\\'s;' /* ; {{ no }} */ -- ; {{ no }}\n"
                + "FROM t WHERE d > {{ last_update_time }}";
        RenderedStatement r = pg(sql);
        assertThat(r.parameters()).containsExactly(Variable.LAST_UPDATE_TIME);
        assertThat(r.sql()).contains("'a;b'", "\"we;ird\"", "$x$ ; {{ nothing }} $x$", "E'it\\'s;'", "/* ; {{ no }} */");
    }

    @Test
    void mysqlBackslashEscapesDoNotEndAString() {
        RenderedStatement r = StatementTemplate.parse("SELECT 'it\\'s; fine', `a;b` FROM t WHERE d > {{ last_update_time }}",
                SqlSyntax.MYSQL).render(BindMarkers.QUESTION_MARK);
        assertThat(r.sql()).isEqualTo("SELECT 'it\\'s; fine', `a;b` FROM t WHERE d > ?");
    }

    @Test
    void positionalParametersAreNotDollarQuotes() {
        assertThat(pg("SELECT $1 FROM t").sql()).isEqualTo("SELECT $1 FROM t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"WITH x AS (SELECT 1) SELECT * FROM x", "EXEC dbo.sales @from = {{ last_update_time }}",
            "execute sales", "CALL sales({{ last_update_time }}, {{ upper_date_limit }})", "(SELECT 1) UNION (SELECT 2)",
            "-- comment first\nSELECT 1", "/* c */ select 1"})
    void allowedStatementKinds(String sql) {
        assertThat(StatementTemplate.parse(sql).original()).isEqualTo(sql);
    }

    @Test
    void unknownVariableIsRejectedWithItsPosition() {
        assertThatThrownBy(() -> StatementTemplate.parse("SELECT *\nFROM t WHERE d > {{ last_updated }}"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("unknown template variable {{ last_updated }}")
                .hasMessageContaining("{{ last_update_time }} and {{ upper_date_limit }}")
                .hasMessageContaining("line 2, column 18");
    }

    @Test
    void secondStatementIsRejectedPointingAtIt() {
        assertThatThrownBy(() -> StatementTemplate.parse("SELECT 1; DELETE FROM sales"))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("only one statement is allowed")
                .hasMessageContaining("'DELETE FROM sales'")
                .hasMessageContaining("line 1, column 11");
    }

    @ParameterizedTest
    @ValueSource(strings = {"DELETE FROM sales", "update t set a = 1", "INSERT INTO t VALUES (1)", "DROP TABLE t",
            "1 + 1", "; SELECT 1"})
    void otherStatementsAreRejected(String sql) {
        assertThatThrownBy(() -> StatementTemplate.parse(sql))
                .isInstanceOf(TemplateException.class)
                .hasMessageContaining("must start with SELECT, WITH, EXEC or CALL");
    }

    @Test
    void emptyAndCommentOnlyStatementsAreRejected() {
        assertThatThrownBy(() -> StatementTemplate.parse("  \n ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> StatementTemplate.parse("-- nothing\n/* here */")).hasMessageContaining("only comments");
    }

    @Test
    void unclosedThingsAreRejected() {
        assertThatThrownBy(() -> StatementTemplate.parse("SELECT 'abc")).hasMessageContaining("string is never closed");
        assertThatThrownBy(() -> StatementTemplate.parse("SELECT 1 /* abc")).hasMessageContaining("comment is never closed");
        assertThatThrownBy(() -> StatementTemplate.parse("SELECT {{ last_update_time")).hasMessageContaining("never closed with '}}'");
        assertThatThrownBy(() -> StatementTemplate.parse("SELECT $a$ x")).hasMessageContaining("dollar-quoted string is never closed");
    }

    @Test
    void aVariableInsideALargerStringIsRejected() {
        assertThatThrownBy(() -> StatementTemplate.parse("SELECT * FROM t WHERE d > 'since {{ last_update_time }}'"))
                .hasMessageContaining("must be the whole string literal");
    }

    @Test
    void variablesListsOccurrences() {
        assertThat(StatementTemplate.parse("SELECT {{ upper_date_limit }}, {{ last_update_time }}").variables())
                .isEqualTo(List.of(Variable.UPPER_DATE_LIMIT, Variable.LAST_UPDATE_TIME));
    }
}
