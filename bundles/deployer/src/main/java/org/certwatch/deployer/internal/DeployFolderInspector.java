package org.certwatch.deployer.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.certwatch.api.RuntimeProperties;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Reports jars in the deploy folder that FileInstall skips without a word: corrupt archives and
 * plain jars without OSGi headers. Each version of a file is reported once; a fixed file is
 * installed by FileInstall, which retries skipped files on every scan.
 */
@Component(service = {})
public final class DeployFolderInspector {
    private static final Logger LOG = Logger.getLogger("org.certwatch.deployer.inspector");
    private static final long PERIOD_MILLIS = 1000;

    private static final long SETTLE_MILLIS = 500;

    private final Path deploy;
    private final Map<Path, String> inspected = new HashMap<>();
    private final ScheduledExecutorService scanner;

    @Activate
    public DeployFolderInspector(BundleContext context) {
        this.deploy = Path.of(context.getProperty(RuntimeProperties.DEPLOY));
        this.scanner = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "certwatch-deploy-inspector");
            thread.setDaemon(true);
            return thread;
        });
        scanner.scheduleWithFixedDelay(this::scan, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void stop() {
        scanner.shutdownNow();
    }

    private void scan() {
        Set<Path> present = new HashSet<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(deploy, "[!.]*.jar")) {
            for (Path jar : jars) {
                present.add(jar);
                inspect(jar);
            }
        } catch (IOException e) {
            LOG.warning("cannot list deploy folder " + deploy + ": " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warning("deploy folder scan failed: " + e);
        }
        inspected.keySet().retainAll(present);
    }

    private void inspect(Path jar) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
        String version = attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
        boolean stillBeingWritten =
                System.currentTimeMillis() - attributes.lastModifiedTime().toMillis() < SETTLE_MILLIS;
        if (version.equals(inspected.get(jar)) || stillBeingWritten) {
            return;
        }
        inspected.put(jar, version);
        JarDiagnosis.problem(jar).ifPresent(problem -> LOG.severe(jar + ": not deployed: " + problem));
    }
}
