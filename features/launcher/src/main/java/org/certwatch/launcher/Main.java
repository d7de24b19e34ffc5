package org.certwatch.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.logging.Logger;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/** {@code certwatch run}: starts the server in the foreground until SIGTERM or Ctrl-C. */
public final class Main {
    private static final long STOP_TIMEOUT_MILLIS = 4_500;

    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.manager", RetainingLogManager.class.getName());
        try {
            System.exit(run());
        } catch (LauncherException e) {
            System.err.println("certwatch: " + e.getMessage());
            System.exit(2);
        }
    }

    private static int run() {
        Path workingDirectory = Paths.get("").toAbsolutePath();
        Path home = Paths.get(System.getProperty("certwatch.home", workingDirectory.toString())).toAbsolutePath();
        LauncherSettings settings = LauncherSettings.from(System.getenv(), home, workingDirectory);
        createFolder(settings.data());
        createFolder(settings.deploy());
        try (DataFolderLock lock = DataFolderLock.acquire(settings.data())) {
            ConsoleLog.install(settings.data());
            Logger log = Logger.getLogger("org.certwatch.launcher");
            log.info("certwatch starting: home " + settings.home() + ", data " + settings.data() + ", deploy "
                    + settings.deploy());
            Path credentials = FirstStartCredentials.writeIfFirstStart(settings.data(), System.getenv(),
                    new SecureRandom());
            if (credentials != null) {
                log.info("first start: generated credentials written to " + credentials
                        + " (mode 0600); read them there");
            }
            Framework framework = new PlatformLauncher(settings, System.console() != null).start();
            Thread stopper = new Thread(() -> stop(framework), "certwatch-shutdown");
            Runtime.getRuntime().addShutdownHook(stopper);
            FrameworkEvent event = framework.waitForStop(0);
            return event.getType() == FrameworkEvent.ERROR ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(STOP_TIMEOUT_MILLIS);
            Logger.getLogger("org.certwatch.launcher").info("certwatch stopped");
            if (java.util.logging.LogManager.getLogManager() instanceof RetainingLogManager manager) {
                manager.release();
            }
        } catch (BundleException | InterruptedException e) {
            Logger.getLogger("org.certwatch.launcher").warning("unclean stop: " + e);
        }
    }

    private static void createFolder(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new LauncherException("cannot create folder " + folder + ": " + e.getMessage(), e);
        }
    }
}
