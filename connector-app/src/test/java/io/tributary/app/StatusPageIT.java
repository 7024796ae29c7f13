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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.tributary.app.support.Chromium;
import io.tributary.app.support.RunningApp;

/**
 * The status page in a real browser (headless Chromium): the demo source is listed with its state and last run,
 * "Run now" runs it, and the run's events appear in the live feed.
 */
class StatusPageIT {

    private static WebDriver browser(Path profile) {
        return Chromium.start(profile, 1280, 900);
    }

    @Test
    void theStatusPageShowsSourcesAndLiveRuns(@TempDir Path data, @TempDir Path profile) throws Exception {
        try (RunningApp app = RunningApp.start(Map.of("TRIBUTARY_DATA_DIR", data.toString()))) {
            WebDriver browser = browser(profile);
            try {
                // the table is redrawn when runs start and end: an element found just before that is stale
                Wait<WebDriver> wait = new WebDriverWait(browser, Duration.ofSeconds(30))
                        .ignoring(StaleElementReferenceException.class);
                browser.get(app.baseUrl() + "/");
                assertThat(browser.getTitle()).isEqualTo("Tributary");

                String state = wait.until(b -> b.findElement(By.cssSelector("#sources tr[data-source='demo'] .state")).getText());
                assertThat(state).isIn("idle", "running");
                wait.until(b -> b.findElement(By.id("summary")).getText().startsWith("1 source(s)"));

                wait.until(b -> {
                    b.findElement(By.cssSelector("#sources tr[data-source='demo'] button")).click();
                    return true;
                });
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
