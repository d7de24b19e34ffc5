package org.certwatch.itests;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven by Debian's chromedriver (explicit paths: nothing is downloaded), with a
 * fresh profile under {@code work}; it accepts the test server's certificate.
 */
final class HeadlessChromium implements AutoCloseable {
    final WebDriver browser;
    private final ChromeDriverService service;

    HeadlessChromium(Path work) throws IOException {
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--ignore-certificate-errors",
                "--user-data-dir=" + Files.createTempDirectory(work, "chromium-profile"));
        browser = new ChromeDriver(service, options);
    }

    @Override
    public void close() {
        browser.quit();
        service.stop();
    }
}
