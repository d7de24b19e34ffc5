package org.certwatch.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The anchor for the runtime benchmark: a bare Felix framework starting the same platform bundles
 * from {@code system/}, printing {@code bare ready} once all are active. Runs as its own JVM.
 */
public final class BareFelix {
    private BareFelix() {
    }

    public static void main(String[] args) throws Exception {
        Path system = Path.of(args[0]);
        Path cache = Path.of(args[1]);
        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow()
                .newFramework(Map.of(Constants.FRAMEWORK_STORAGE, cache.toString(),
                        Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                        "gosh.args", "--nointeractive", "felix.fileinstall.dir", cache.resolve("none").toString()));
        framework.init();
        List<Bundle> bundles = new ArrayList<>();
        try (Stream<Path> jars = Files.list(system)) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                if (jar.getFileName().toString().startsWith("org.certwatch")) {
                    continue; // certwatch's own bundle is not part of the anchor
                }
                bundles.add(framework.getBundleContext().installBundle(new File(jar.toString()).toURI().toString()));
            }
        }
        framework.start();
        for (Bundle bundle : bundles) {
            bundle.start();
        }
        System.out.println("bare ready");
        framework.waitForStop(0);
    }
}
