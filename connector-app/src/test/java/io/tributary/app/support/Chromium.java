package io.tributary.app.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium driven by chromedriver, at {@code TRIBUTARY_TEST_CHROMIUM} and
 * {@code TRIBUTARY_TEST_CHROMEDRIVER} (defaults: Debian's {@code chromium} and {@code chromium-driver} packages).
 */
public final class Chromium {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("TRIBUTARY_TEST_CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("TRIBUTARY_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /** A browser with its own profile directory and a window of this size; quit it when done. */
    public static WebDriver start(Path profile, int width, int height) {
        assertThat(CHROMIUM).as("Chromium is needed for this test: apt-get install chromium chromium-driver (.ci/run does)").exists();
        assertThat(CHROMEDRIVER).as("chromedriver is needed: apt-get install chromium-driver").exists();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height, "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }
}
