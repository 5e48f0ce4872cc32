package io.riffle.it.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system's Chromium, headless, driven through the system's chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver} packages) with a fresh profile. Never downloads a browser or a driver: when either is
 * missing, {@link #start} fails and says what to install.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("riffle.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("riffle.chromedriver", "/usr/bin/chromedriver"));
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;

    private Browser(ChromeDriver driver, Path profile, Path screenshots) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    /** Starts Chromium; screenshots go to {@code screenshots}. */
    static Browser start(Path screenshots) {
        for (var binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException(binary + " is missing: the web tests need Debian's Chromium and its "
                    + "driver (apt-get install -y chromium chromium-driver), or -Driffle.chromium=... and "
                    + "-Driffle.chromedriver=... pointing at a Chromium and a matching chromedriver");
            }
        }
        try {
            var profile = Files.createTempDirectory("riffle-web-chromium");
            Files.createDirectories(screenshots);
            Files.deleteIfExists(screenshots.resolve("failure.png"));
            Files.deleteIfExists(screenshots.resolve("failure.html"));
            var service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
            var options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1440,1000", "--force-device-scale-factor=1");
            var driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(new Dimension(1440, 1000));
            return new Browser(driver, profile, screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void open(String url) {
        driver.get(url);
    }

    /** Waits until the element is visible. */
    WebElement find(String css) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(css)));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    void click(String css) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    /** Clicks the first visible link or button whose text is {@code text}. */
    void clickText(String text) {
        new WebDriverWait(driver, WAIT).until(ExpectedConditions.elementToBeClickable(By.xpath(
            "//*[self::a or self::button][normalize-space()='" + text + "']"))).click();
    }

    void type(String css, String text) {
        var field = find(css);
        field.clear();
        field.sendKeys(text);
    }

    /** Sets a textarea's whole value as a paste would (typing would meet the editor's auto-indent). */
    void paste(String css, String text) {
        script("const el = document.querySelector(arguments[0]); el.focus(); el.value = arguments[1];"
            + "el.dispatchEvent(new Event('input', {bubbles: true}));", css, text);
    }

    /** Waits until the element's text contains {@code text}; returns the element's whole text. */
    String awaitText(String css, String text) {
        new WebDriverWait(driver, WAIT).withMessage(() -> "'" + css + "' to contain '" + text + "', it reads '"
                + textOf(css) + "'")
            .until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(css), text));
        return textOf(css);
    }

    /** Waits until {@code condition} (a JavaScript expression) is truthy. */
    void awaitScript(String description, String condition, Object... args) {
        new WebDriverWait(driver, WAIT).withMessage(() -> description)
            .until(d -> Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("return !!(" + condition + ")", args)));
    }

    String textOf(String css) {
        var found = all(css);
        return found.isEmpty() ? "(no element)" : found.get(0).getText();
    }

    Object script(String code, Object... args) {
        return driver.executeScript(code, args);
    }

    /** The browser's cookie of this name for the current page, or null. */
    org.openqa.selenium.Cookie cookie(String name) {
        return driver.manage().getCookieNamed(name);
    }

    String url() {
        return driver.getCurrentUrl();
    }

    /** Saves the whole page (the window grown to its height, up to 2,400 pixels) as {@code name.png}. */
    Path screenshot(String name) {
        script("document.activeElement && document.activeElement.blur && document.activeElement.blur();"
            + "window.scrollTo(0, 0)");
        var window = driver.manage().window();
        var size = window.getSize();
        var chrome = size.getHeight() - ((Number) script("return window.innerHeight")).intValue();
        var page = ((Number) script("return document.documentElement.scrollHeight")).intValue();
        try {
            window.setSize(new Dimension(size.getWidth(), Math.min(2400, Math.max(size.getHeight(), page + chrome))));
            var file = screenshots.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            window.setSize(size);
        }
    }

    /** The page's HTML and a screenshot next to the others, for a failing test. */
    void keepEvidence(String name) {
        try {
            Files.writeString(screenshots.resolve(name + ".html"), driver.getPageSource());
            Files.write(screenshots.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException | RuntimeException ignored) {
            // evidence is best effort; the test's own failure is what matters
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | UncheckedIOException ignored) {
                // a temp profile left behind is harmless
            }
        }
    }
}
