package org.certwatch.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** Embeds the Felix framework, installs and starts everything in {@code system/}. */
final class PlatformLauncher {
    private static final Logger LOG = Logger.getLogger("org.certwatch.launcher");

    private final LauncherSettings settings;
    private final String backend;

    PlatformLauncher(LauncherSettings settings, String backend) {
        this.settings = settings;
        this.backend = backend;
    }

    Framework create() {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new LauncherException("no OSGi framework on the class path (lib/)"));
        return factory.newFramework(frameworkProperties());
    }

    void start(Framework framework) {
        try {
            framework.init();
            BundleContext context = framework.getBundleContext();
            registerSystemClock(context);
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : systemBundles()) {
                installed.add(context.installBundle(jar.toUri().toString()));
            }
            framework.start();
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    startLogged(bundle);
                }
            }
        } catch (BundleException e) {
            throw new LauncherException("cannot start the OSGi framework: " + e.getMessage(), e);
        }
    }

    private static void startLogged(Bundle bundle) {
        try {
            bundle.start();
        } catch (BundleException e) {
            LOG.log(Level.SEVERE, "system bundle " + bundle.getLocation() + " did not start", e);
        }
    }

    /** The time source every component takes; tests deploy a higher-ranked one to move it. */
    private static void registerSystemClock(BundleContext context) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, Integer.MIN_VALUE);
        properties.put("certwatch.clock", "system");
        context.registerService(Clock.class, Clock.systemUTC(), properties);
    }

    private List<Path> systemBundles() {
        try (Stream<Path> files = Files.list(settings.system())) {
            return files.filter(path -> path.getFileName().toString().endsWith(".jar")).sorted()
                    .filter(PlatformLauncher::isBundle).toList();
        } catch (IOException e) {
            throw new LauncherException("cannot list platform bundles in " + settings.system() + ": " + e.getMessage(),
                    e);
        }
    }

    private static boolean isBundle(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest() != null
                    && file.getManifest().getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME) != null;
        } catch (IOException e) {
            LOG.severe("system/" + jar.getFileName() + " is not a readable jar: " + e.getMessage());
            return false;
        }
    }

    private Map<String, String> frameworkProperties() {
        Map<String, String> p = new HashMap<>();
        p.put(Constants.FRAMEWORK_STORAGE, settings.data().resolve("cache/felix").toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        p.put("felix.log.level", "1");
        p.put("felix.fileinstall.dir", settings.etc() + "," + settings.deploy());
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.filter", "^[^.].*\\.(jar|cfg|config|xml)$");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.bundles.new.start", "true");
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.log.default", "jul");
        p.put("felix.fileinstall.log.level", "3");
        p.put("felix.fileinstall.tmpdir", settings.data().resolve("cache/fileinstall").toString());
        // Gogo's own console reads bytes as Latin-1; the system bundle org.certwatch.console is the console
        p.put("gosh.args", "--nointeractive");
        p.put("gosh.home", settings.home().toString());
        p.put("certwatch.home", settings.home().toString());
        p.put("certwatch.data", settings.data().toString());
        p.put("certwatch.deploy", settings.deploy().toString());
        p.put("certwatch.etc", settings.etc().toString());
        p.put("certwatch.repository", settings.repository().toString());
        p.put("certwatch.bind", settings.bind());
        p.put("certwatch.snmp.port", Integer.toString(settings.snmpPort()));
        p.put("certwatch.https.port", Integer.toString(settings.httpsPort()));
        p.put("certwatch.agent.port", Integer.toString(settings.agentPort()));
        p.put("certwatch.backend", backend);
        return p;
    }
}
