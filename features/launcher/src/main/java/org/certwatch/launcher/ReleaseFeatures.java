package org.certwatch.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.certwatch.commons.features.FeatureDescriptor;
import org.certwatch.commons.features.FeatureXml;
import org.certwatch.commons.files.DurableFiles;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * Brings the release's features into the deploy folder before the framework starts, so FileInstall
 * and the feature installer deploy them as any admin drop: the first start places every feature
 * descriptor of the release; a newer release replaces the descriptors and plugin jars of an older one
 * (a lower version), and leaves everything else alone — the admin's own bundles and features, a
 * plugin jar of a higher version the admin dropped in, and a release feature the admin took out
 * (remembered in {@code .release-features}, one feature id a line). A withheld feature (a backend's, while
 * another backend is chosen) is not placed, and taken out again with the plugin jars no other deployed feature
 * lists if a start before placed it.
 */
final class ReleaseFeatures {
    static final String RECORD = ".release-features";

    private ReleaseFeatures() {
    }

    /** Answers one line for the log per change made. */
    static List<String> update(Path features, Path repository, Path deploy, Set<String> withheld) {
        try {
            List<String> changes = new ArrayList<>();
            Path record = deploy.resolve(RECORD);
            TreeSet<String> placed = new TreeSet<>(Files.exists(record)
                    ? Files.readAllLines(record, StandardCharsets.UTF_8).stream().map(String::strip)
                            .filter(id -> !id.isEmpty()).toList()
                    : List.of());
            for (Path source : releaseDescriptors(features)) {
                FeatureDescriptor release = read(source);
                Path target = deploy.resolve(source.getFileName());
                if (withheld.contains(release.id())) {
                    if (placed.remove(release.id()) && Files.exists(target)) {
                        withdraw(release, target, deploy);
                        changes.add("withdrew feature " + release.id() + " (not chosen)");
                    }
                    continue;
                }
                if (!Files.exists(target)) {
                    if (placed.contains(release.id())) {
                        continue; // the admin took it out
                    }
                    copy(source, target);
                    changes.add("deployed feature " + release.id() + " " + release.version());
                } else {
                    Optional<FeatureDescriptor> deployed = readDeployed(target);
                    if (deployed.isPresent() && isOlder(deployed.get().version(), release.version())) {
                        copy(source, target);
                        changes.add("feature " + release.id() + " upgraded from " + deployed.get().version() + " to "
                                + release.version());
                    }
                }
                placed.add(release.id());
                for (FeatureDescriptor.Plugin plugin : release.plugins()) {
                    upgradePlugin(plugin, repository, deploy).ifPresent(changes::add);
                }
            }
            DurableFiles.write(record, (String.join("\n", placed) + "\n").getBytes(StandardCharsets.UTF_8), false);
            return changes;
        } catch (IOException e) {
            throw new LauncherException("cannot deploy the release's features into " + deploy + ": " + e.getMessage(), e);
        }
    }

    /** Removes a deployed feature and its plugin jars that no other deployed feature lists. */
    private static void withdraw(FeatureDescriptor feature, Path descriptor, Path deploy) throws IOException {
        Files.delete(descriptor);
        Set<String> stillListed = new HashSet<>();
        try (Stream<Path> files = Files.list(deploy)) {
            for (Path other : files.filter(FeatureXml::isFeatureFile).toList()) {
                readDeployed(other).ifPresent(f -> f.plugins().forEach(p -> stillListed.add(p.deployFileName())));
            }
        }
        for (FeatureDescriptor.Plugin plugin : feature.plugins()) {
            if (!stillListed.contains(plugin.deployFileName())) {
                Files.deleteIfExists(deploy.resolve(plugin.deployFileName()));
            }
        }
    }

    /** Replaces a deployed plugin jar of a lower version; a missing one the feature installer copies. */
    private static Optional<String> upgradePlugin(FeatureDescriptor.Plugin plugin, Path repository, Path deploy)
            throws IOException {
        Path target = deploy.resolve(plugin.deployFileName());
        Path source = repository.resolve(plugin.repositoryFileName());
        if (!Files.isRegularFile(target) || !Files.isRegularFile(source)) {
            return Optional.empty();
        }
        Optional<String> deployed = bundleVersion(target);
        if (deployed.isPresent() && isOlder(deployed.get(), plugin.version())) {
            copy(source, target);
            return Optional.of("bundle " + plugin.id() + " upgraded from " + deployed.get() + " to " + plugin.version());
        }
        return Optional.empty();
    }

    private static List<Path> releaseDescriptors(Path features) throws IOException {
        try (Stream<Path> files = Files.list(features)) {
            return files.filter(FeatureXml::isFeatureFile).sorted().toList();
        }
    }

    private static FeatureDescriptor read(Path releaseDescriptor) throws IOException {
        try {
            return FeatureXml.read(releaseDescriptor);
        } catch (FeatureXml.InvalidFeatureException e) {
            throw new IOException(releaseDescriptor + ": " + e.getMessage(), e);
        }
    }

    /** A deployed descriptor the admin broke is theirs to fix; the feature installer reports it. */
    private static Optional<FeatureDescriptor> readDeployed(Path descriptor) {
        try {
            return Optional.of(FeatureXml.read(descriptor));
        } catch (FeatureXml.InvalidFeatureException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> bundleVersion(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return Optional.ofNullable(file.getManifest())
                    .map(manifest -> manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION));
        } catch (IOException e) {
            return Optional.empty(); // a corrupt jar is the deploy-folder inspector's to report
        }
    }

    private static boolean isOlder(String deployed, String release) {
        try {
            return Version.parseVersion(deployed).compareTo(Version.parseVersion(release)) < 0;
        } catch (IllegalArgumentException e) {
            return false; // not a version this release wrote: the admin's, left alone
        }
    }

    /** Copies through a hidden temporary sibling, which FileInstall ignores, and an atomic rename. */
    private static void copy(Path source, Path target) throws IOException {
        Path temp = target.resolveSibling("." + target.getFileName() + DurableFiles.TEMP_SUFFIX);
        Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
