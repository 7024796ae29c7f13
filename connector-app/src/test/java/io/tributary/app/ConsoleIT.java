package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.tributary.app.support.Chromium;
import io.tributary.app.support.RunningApp;
import io.tributary.app.support.TestDatabase;

/**
 * The operator console in a real headless Chromium, against the real application with a PostgreSQL store and
 * PostgreSQL sources, and an API token set: the token prompt, a source's page, a test query, a historical import
 * with its live progress bar, a failed run in the import log, and the plots. One application and one browser for the
 * whole class; screenshots are written to target/screenshots (copy them to docs/images when the console changes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final String TOKEN = "console-test-token-5b1f0e7c2a94";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path profile;
    private TestDatabase db;
    private RunningApp app;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        db = TestDatabase.fresh("console_ui");
        // 500 sales every 28 minutes from 2024-01-01, one without a reference (rejected); imported only by a
        // historical import, since the source's first run starts in 2026
        db.execute("CREATE TABLE console_sales (ref text, seller int, seller_name text, sold_at timestamptz NOT NULL, amount numeric(10,2))",
                "INSERT INTO console_sales SELECT 'r-' || g, g % 7, 'Seller ' || (g % 7), "
                        + "timestamptz '2024-01-01 00:00:00+00' + g * interval '28 minutes', g * 1.25 FROM generate_series(1, 500) g",
                "INSERT INTO console_sales VALUES (NULL, 1, 'Seller 1', '2024-01-03 12:00:00+00', 1)");
        app = RunningApp.start(Map.ofEntries(
                Map.entry("TRIBUTARY_STORE_URL", db.jdbcUrl()),
                Map.entry("TRIBUTARY_API_TOKEN", TOKEN),
                Map.entry("TRIBUTARY_BIND_ADDRESS", "127.0.0.1"),
                Map.entry("TRIBUTARY_SOURCES_SALES_URL", db.sourceUrl()),
                Map.entry("TRIBUTARY_SOURCES_SALES_STATEMENT", "SELECT ref AS reference, seller AS member_id, seller_name AS member_name, "
                        + "sold_at AS date, amount FROM console_sales "
                        + "WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }} ORDER BY sold_at"),
                Map.entry("TRIBUTARY_SOURCES_SALES_UPDATE_FREQUENCY", "1h"),
                Map.entry("TRIBUTARY_SOURCES_SALES_START", "2026-01-01T00:00:00Z"),
                Map.entry("TRIBUTARY_SOURCES_BROKEN_URL", db.sourceUrl()),
                Map.entry("TRIBUTARY_SOURCES_BROKEN_STATEMENT", "SELECT ref AS reference, seller AS member_id, sold_at AS date "
                        + "FROM console_missing WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }}"),
                Map.entry("TRIBUTARY_SOURCES_BROKEN_UPDATE_FREQUENCY", "1h"),
                // every chunk of its imports takes 2 s: long enough to cancel one
                Map.entry("TRIBUTARY_SOURCES_SLOW_URL", db.sourceUrl()),
                Map.entry("TRIBUTARY_SOURCES_SLOW_STATEMENT", "SELECT ref AS reference, seller AS member_id, sold_at AS date "
                        + "FROM console_sales CROSS JOIN (SELECT pg_sleep(2)) z "
                        + "WHERE sold_at >= {{ last_update_time }} AND sold_at < {{ upper_date_limit }} ORDER BY sold_at"),
                Map.entry("TRIBUTARY_SOURCES_SLOW_UPDATE_FREQUENCY", "1h"),
                Map.entry("TRIBUTARY_SOURCES_SLOW_START", "2026-01-01T00:00:00Z")));
        browser = Chromium.start(profile, 1280, 1000);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
    }

    @AfterAll
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    private WebElement visible(String css) {
        return wait.ignoring(StaleElementReferenceException.class).until(b -> b.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    private void type(String id, String value) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        ((JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private void open(String fragment) {
        browser.get(app.baseUrl() + "/" + fragment);
    }

    @Test
    @Order(1)
    @DisplayName("the console asks for the token once, then the overview lists the sources and flags the failing one")
    void tokenThenOverview() throws Exception {
        open("");
        WebElement form = visible("#token-form");
        assertThat(browser.findElements(By.cssSelector("#sources tr[data-source]"))).isEmpty();
        form.findElement(By.id("token")).sendKeys(TOKEN);
        form.findElement(By.cssSelector("button")).click();
        wait.until(b -> b.findElements(By.cssSelector("#sources tr[data-source]")).size() == 3);
        assertThat(browser.findElement(By.id("token-form")).isDisplayed()).isFalse();

        // the broken source's first run fails at once: the overview says so without opening anything
        wait.until(b -> !b.findElement(By.cssSelector("#sources tr[data-source='broken'] .state")).getText().equals("idle")
                && !b.findElement(By.cssSelector("#sources tr[data-source='broken'] .state")).getText().equals("running"));
        assertThat(browser.findElement(By.cssSelector("#sources tr[data-source='broken'] .state")).getAttribute("class"))
                .contains("tone-bad");
        wait.until(b -> b.findElement(By.id("summary")).getText().contains("need attention (broken: "));
        wait.until(b -> b.findElement(By.id("stream-state")).getText().equals("(connected)"));

        // a reload keeps the token for this tab: no second prompt
        browser.navigate().refresh();
        wait.until(b -> b.findElements(By.cssSelector("#sources tr[data-source]")).size() == 3);
        assertThat(browser.findElement(By.id("token-form")).isDisplayed()).isFalse();
        screenshot("console-overview.png");
    }

    @Test
    @Order(2)
    @DisplayName("a source's page shows its settings with the password masked, and a test query counts what the database holds")
    void testQuery() throws Exception {
        browser.findElement(By.linkText("sales")).click();
        wait.until(b -> b.findElement(By.id("source-title")).getText().startsWith("sales"));
        WebElement settings = visible("#source-settings dl");
        assertThat(settings.getText()).contains("console_sales").contains("2026-01-01T00:00:00Z").doesNotContain(TOKEN);

        type("tq-from", "2024-01-02");
        type("tq-to", "2024-01-05T00:00:00Z");
        browser.findElement(By.id("tq-run")).click();
        WebElement rows = visible("#tq-rows");
        long expected = db.count("SELECT count(*) FROM public.console_sales WHERE sold_at >= '2024-01-02Z' AND sold_at < '2024-01-05Z'");
        assertThat(expected).isGreaterThan(100);
        assertThat(rows.getAttribute("data-count")).isEqualTo(Long.toString(expected));
        assertThat(browser.findElement(By.id("tq-columns")).getText())
                .isEqualTo("reference, member_id, member_name, date, amount");
        assertThat(browser.findElements(By.cssSelector("#tq-sample tbody tr"))).hasSize(20);
        assertThat(browser.findElement(By.cssSelector("#tq-sample tbody tr")).getText()).contains("Seller");
        assertThat(browser.findElement(By.id("tq-result")).getText()).as("the test query's result")
                .contains("Rejected rows");
        assertThat(browser.findElement(By.id("tq-rejections")).getText()).contains("reference");
        assertThat(browser.findElement(By.id("tq-duration")).getText()).matches("\\d+(\\.\\d+)? m?s");
    }

    @Test
    @Order(3)
    @DisplayName("a historical import's progress bar reaches 100 % from the event stream, and the stored count matches the database")
    void historicalImport() throws Exception {
        type("imp-from", "2024-01-01");
        type("imp-to", "2024-01-11");
        browser.findElement(By.id("imp-start")).click();
        wait.until(b -> "succeeded".equals(b.findElement(By.id("imp-live")).getAttribute("data-state")));
        assertThat(browser.findElement(By.id("imp-progress")).getAttribute("data-percent")).isEqualTo("100");
        assertThat(browser.findElement(By.id("imp-status")).getText()).contains("100 %").contains("501 rows read");

        long source = db.count("SELECT count(*) FROM public.console_sales WHERE ref IS NOT NULL");
        assertThat(source).isEqualTo(500);
        wait.until(b -> b.findElement(By.id("source-stored")).getAttribute("data-count").equals(Long.toString(source)));
        assertThat(db.count("SELECT count(*) FROM registrations WHERE source_id = 'sales'")).isEqualTo(source);
        visible("#imp-past tr[data-status='succeeded']");
        // the registrations section shows what was stored, oldest first
        wait.until(b -> b.findElement(By.id("registrations")).getText().contains("r-1"));
    }

    @Test
    @Order(4)
    @DisplayName("a historical import can be cancelled from its page, and is listed as cancelled")
    void cancelImport() {
        open("#/sources/slow");
        visible("#imp-form");
        type("imp-from", "2024-01-01");
        type("imp-to", "2024-03-01");
        browser.findElement(By.id("imp-start")).click();
        visible("#imp-cancel").click();
        wait.until(b -> "cancelled".equals(b.findElement(By.id("imp-live")).getAttribute("data-state")));
        assertThat(Integer.parseInt(browser.findElement(By.id("imp-progress")).getAttribute("data-percent"))).isLessThan(100);
        visible("#imp-past tr[data-status='cancelled']");
        open("#/sources/sales");
    }

    @Test
    @Order(5)
    @DisplayName("the plots draw one point per run of the last 24 hours, and mark failed runs")
    void plots() throws Exception {
        browser.findElement(By.id("run-now")).click();
        wait.until(b -> rows("SELECT count(*) FROM import_runs WHERE source_id = 'sales' AND kind = 'MANUAL' AND status <> 'RUNNING'") == 1);
        String runs = "SELECT count(*) FROM import_runs WHERE source_id = 'sales' AND kind <> 'TEST' "
                + "AND started_at >= now() - interval '24 hours'";
        wait.until(b -> count("#plot-rows circle.point") == rows(runs));
        long expected = db.count(runs);
        // the first automatic run, the manual one and the import's chunks
        assertThat(expected).isGreaterThanOrEqualTo(3);
        assertThat(count("#plot-duration circle.point")).isEqualTo(expected);
        assertThat(count("#plot-interval circle.point")).isEqualTo(db.count(runs + " AND effective_interval_seconds IS NOT NULL"));
        assertThat(browser.findElement(By.cssSelector("#plot-rows svg")).getAttribute("aria-label")).contains(expected + " run(s)");
        screenshot("console-source.png");

        open("#/sources/broken");
        long failed = db.count("SELECT count(*) FROM import_runs WHERE source_id = 'broken' AND status = 'FAILED'");
        assertThat(failed).isPositive();
        wait.until(b -> count("#plot-rows circle.point.failed") == failed);
        assertThat(count("#plot-rows line.failed-mark")).isEqualTo(failed);
    }

    private long count(String css) {
        try {
            return browser.findElements(By.cssSelector(css)).size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Test
    @Order(6)
    @DisplayName("a failed run appears in the import log with its reason, found with the status and kind filters")
    void failedRunInTheLog() {
        open("#/sources/broken");
        visible("#log-section input[name='status'][value='failed']").click();
        // the log is redrawn as answers arrive: read a failed run and its reason in one go
        String error = wait.ignoring(StaleElementReferenceException.class).until(b -> {
            String id = b.findElement(By.cssSelector("#log-table tr[data-status='failed']")).getAttribute("data-run");
            return b.findElement(By.cssSelector("#log-table tr[data-detail-of='" + id + "'] .run-error")).getText();
        });
        assertThat(error).startsWith("Error: ").contains("relation \"console_missing\" does not exist");
        long failed = rows("SELECT count(*) FROM import_runs WHERE source_id = 'broken' AND status = 'FAILED'");
        wait.until(b -> b.findElement(By.id("log-position")).getText().equals("runs 1–" + failed + " of " + failed));
        // the kind filter narrows further: this source never had a manual run
        visible("#log-section input[name='kind'][value='manual']").click();
        wait.until(b -> b.findElement(By.id("log-position")).getText().equals("no runs match"));
        assertThat(browser.findElements(By.cssSelector("#log-table tr[data-run]"))).isEmpty();
    }

    @Test
    @Order(7)
    @DisplayName("at a phone's width the source page needs no sideways scrolling")
    void phoneWidth() throws Exception {
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            open("#/sources/sales");
            visible("#source-settings dl");
            visible("#plot-rows svg");
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(((Number) overflow).longValue()).isLessThanOrEqualTo(0);
            File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), Path.of("target", "console-phone.png"), StandardCopyOption.REPLACE_EXISTING);
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    /** A count from the store's or the source's tables, for waits that compare the page with the database. */
    private long rows(String sql) {
        try {
            return db.count(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
