package io.tributary.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.tributary.app.support.RunningApp;

/**
 * The status page in a real browser (headless Chromium): the demo source is listed with its state and last run,
 * "Run now" runs it, and the run's events appear in the live feed.
 */
class StatusPageIT {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("TRIBUTARY_TEST_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("TRIBUTARY_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private static WebDriver browser(Path profile) {
        assertThat(CHROMIUM).as("Chromium is needed for this test: apt-get install chromium chromium-driver (.ci/run does)").exists();
        assertThat(CHROMEDRIVER).as("chromedriver is needed: apt-get install chromium-driver").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,900", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    @Test
    void theStatusPageShowsSourcesAndLiveRuns(@TempDir Path data, @TempDir Path profile) throws Exception {
        try (RunningApp app = RunningApp.start(Map.of("TRIBUTARY_DATA_DIR", data.toString()))) {
            WebDriver browser = browser(profile);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(app.baseUrl() + "/");
                assertThat(browser.getTitle()).isEqualTo("Tributary");

                WebElement demo = wait.until(b -> b.findElement(By.cssSelector("#sources tr[data-source='demo']")));
                assertThat(demo.findElement(By.cssSelector(".state")).getText()).isIn("idle", "running");
                wait.until(b -> b.findElement(By.id("summary")).getText().startsWith("1 source(s)"));

                wait.until(b -> b.findElement(By.cssSelector("#sources tr[data-source='demo'] button"))).click();
                WebElement finished = wait.until(b -> b.findElement(
                        By.cssSelector("#events li[data-type='run-finished'][data-source='demo']")));
                assertThat(finished.getText()).contains("demo").contains("finished: read");
                assertThat(browser.findElement(By.id("stream-state")).getText()).isEqualTo("(connected)");
                wait.until(b -> !b.findElement(By.cssSelector("#sources tr[data-source='demo'] td:nth-child(4)")).getText()
                        .equals("not yet"));

                File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
                Files.copy(shot.toPath(), Path.of("target", "status-page.png"), StandardCopyOption.REPLACE_EXISTING);
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void withATokenThePageAsksForItAndThenWorks(@TempDir Path data, @TempDir Path profile) {
        String token = "status-page-token-0123456789";
        try (RunningApp app = RunningApp.start(Map.of("TRIBUTARY_DATA_DIR", data.toString(), "TRIBUTARY_API_TOKEN", token))) {
            WebDriver browser = browser(profile);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(app.baseUrl() + "/");
                WebElement form = wait.until(b -> {
                    WebElement f = b.findElement(By.id("token-form"));
                    return f.isDisplayed() ? f : null;
                });
                assertThat(browser.findElements(By.cssSelector("#sources tr[data-source]"))).isEmpty();
                form.findElement(By.id("token")).sendKeys(token);
                form.findElement(By.cssSelector("button")).click();
                wait.until(b -> b.findElement(By.cssSelector("#sources tr[data-source='demo']")));
                wait.until(b -> b.findElement(By.id("stream-state")).getText().equals("(connected)"));
                assertThat(browser.findElement(By.id("token-form")).isDisplayed()).isFalse();
            } finally {
                browser.quit();
            }
        }
    }
}
