package org.certwatch.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.logging.Logger;
import org.certwatch.commons.persistence.UnfinishedMigrate;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import sun.misc.Signal;

/**
 * {@code certwatch run}: starts the server in the foreground until SIGTERM or Ctrl-C; {@code certwatch console}
 * attaches to the console of the server running on the same data folder ({@link ConsoleClient}).
 */
public final class Main {
    private static final long STOP_TIMEOUT_MILLIS = 4_500;

    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("java.util.logging.manager", RetainingLogManager.class.getName());
        // a client may not renegotiate a TLS 1.2 connection (a cheap way to make the server work hard);
        // read once by the JDK's TLS, so set before anything opens a connection
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        // the TLS probe checks a stapled OCSP response; the JDK's client asks for one only with this, JVM-wide
        System.setProperty("jdk.tls.client.enableStatusRequestExtension", "true");
        try {
            if (args.length > 0 && args[0].equals("console")) {
                Path cwd = Paths.get("").toAbsolutePath();
                Path home = Paths.get(System.getProperty("certwatch.home", cwd.toString())).toAbsolutePath();
                System.exit(ConsoleClient.attach(LauncherSettings.from(System.getenv(), home, cwd).data(), System.in,
                        System.out));
            }
            String refusal = refusal(args);
            if (refusal != null) {
                System.err.println("certwatch: " + refusal);
                System.exit(2);
            }
            System.exit(run());
        } catch (LauncherException e) {
            System.err.println("certwatch: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * Why the server does not start with these arguments, or null: it takes none. Without this check a
     * mistyped or unknown command ({@code bin/certwatch agent …} on a release without the agent,
     * {@code bin/certwatch --help}, {@code certwatch ready}) started a whole server on the default folders
     * and ports in the caller's working folder.
     */
    static String refusal(String[] args) {
        if (args.length == 0) {
            return null;
        }
        return "unknown command '" + args[0] + "'\n" + USAGE;
    }

    static final String USAGE = """
            usage: certwatch                 run the server in the foreground (folders and ports: CERTWATCH_* variables)
                   certwatch console         attach to the console of the server running on CERTWATCH_DATA
                   certwatch agent --server HOST:PORT --data DIR …   the agent of a managed computer
                   certwatch migrate --to postgresql|file …   copy a stopped server's state to PostgreSQL or back""";

    private static int run() {
        Path workingDirectory = Paths.get("").toAbsolutePath();
        Path home = Paths.get(System.getProperty("certwatch.home", workingDirectory.toString())).toAbsolutePath();
        Map<String, String> env = System.getenv();
        LauncherSettings settings = LauncherSettings.from(env, home, workingDirectory);
        int tightened = privateDataFolder(settings.data());
        createFolder(settings.deploy());
        // etc holds the key password and SNMP communities: for the service user only, like the data folder
        createPrivateFolder(settings.etc());
        try (DataFolderLock lock = DataFolderLock.acquire(settings.data())) {
            refuseUnfinishedMigrate(settings.data());
            ConsoleLog.install(settings.data());
            Logger log = Logger.getLogger("org.certwatch.launcher");
            if (tightened > 0) {
                log.warning("data folder " + settings.data() + ": took group and others' permissions off " + tightened
                        + " files and folders (the data folder is for the service user only)");
            }
            log.info("certwatch starting: home " + settings.home() + ", data " + settings.data() + ", etc "
                    + settings.etc() + ", deploy " + settings.deploy());
            BackendSelection backend = BackendSelection.choose(settings.etc());
            log.info("backend " + backend.backend() + " (" + backend.reason() + ")");
            AdminFolders.prepare(settings, backend, env, workingDirectory, log);
            PlatformLauncher launcher = new PlatformLauncher(settings, backend.backend());
            Framework framework = launcher.create();
            // TERM and INT stop the framework and let main return, so a requested stop exits with 0;
            // the hook covers every other way the JVM may be asked to end
            for (String name : new String[] {"TERM", "INT"}) {
                Signal.handle(new Signal(name), signal -> requestStop(framework));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework), "certwatch-shutdown"));
            launcher.start(framework);
            FrameworkEvent event = framework.waitForStop(0);
            log.info("certwatch stopped");
            if (java.util.logging.LogManager.getLogManager() instanceof RetainingLogManager manager) {
                manager.release();
            }
            return event.getType() == FrameworkEvent.ERROR ? 1 : 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    /**
     * A data folder that {@code certwatch migrate --to file} was filling when it was cut short holds a half copy:
     * no server starts on it, whichever backend it would use (the folder also keeps the per-server state).
     */
    static void refuseUnfinishedMigrate(Path data) {
        String mark;
        try {
            mark = UnfinishedMigrate.in(data);
        } catch (IOException e) {
            throw new LauncherException("cannot read " + data.resolve(UnfinishedMigrate.FILE) + ": " + e.getMessage(), e);
        }
        if (mark != null) {
            throw new LauncherException(UnfinishedMigrate.folderRefusal(data, mark));
        }
    }

    private static void requestStop(Framework framework) {
        try {
            // Felix ignores a stop while it is still starting; a signal then must not be lost
            long deadline = System.nanoTime() + 60_000_000_000L;
            while ((framework.getState() & (Bundle.STARTING | Bundle.INSTALLED)) != 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            framework.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (BundleException e) {
            Logger.getLogger("org.certwatch.launcher").warning("cannot stop: " + e);
        }
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(STOP_TIMEOUT_MILLIS);
        } catch (BundleException | InterruptedException e) {
            Logger.getLogger("org.certwatch.launcher").warning("unclean stop: " + e);
        }
    }

    /** Creates the data folder 0700, or corrects an existing one; answers how many entries were corrected. */
    private static int privateDataFolder(Path folder) {
        try {
            PrivateDataFolder.create(folder);
            return PrivateDataFolder.tighten(folder);
        } catch (UnsupportedOperationException e) {
            return 0; // not a POSIX file system: its own access control applies
        } catch (IOException e) {
            throw new LauncherException("cannot create data folder " + folder + " for the service user only: "
                    + e.getMessage(), e);
        }
    }

    private static void createPrivateFolder(Path folder) {
        try {
            PrivateDataFolder.create(folder);
        } catch (UnsupportedOperationException e) {
            createFolder(folder); // not a POSIX file system: its own access control applies
        } catch (IOException e) {
            throw new LauncherException("cannot create folder " + folder + ": " + e.getMessage(), e);
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
