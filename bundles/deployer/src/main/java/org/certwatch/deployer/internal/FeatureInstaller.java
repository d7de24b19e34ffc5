package org.certwatch.deployer.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.felix.fileinstall.ArtifactInstaller;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.commons.features.FeatureDescriptor;
import org.certwatch.commons.features.FeatureXml;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Deploys {@code <id>.feature.xml} files dropped into the deploy folder: each plugin is copied from
 * the distribution's repository folder into the deploy folder as {@code <plugin id>.jar}, where
 * FileInstall installs and starts it like any hand-deployed bundle. Removing a feature file removes
 * the plugin jars that no other deployed feature still lists.
 */
// immediate: the deployed features live in this instance
@Component(service = ArtifactInstaller.class, immediate = true)
public final class FeatureInstaller implements ArtifactInstaller {
    private static final Logger LOG = Logger.getLogger("org.certwatch.deployer.features");

    private final Path repository;
    private final Path deploy;
    private final Map<Path, FeatureDescriptor> deployed = new HashMap<>();

    @Activate
    public FeatureInstaller(BundleContext context) {
        this(Path.of(context.getProperty(RuntimeProperties.REPOSITORY)),
                Path.of(context.getProperty(RuntimeProperties.DEPLOY)));
    }

    FeatureInstaller(Path repository, Path deploy) {
        this.repository = repository;
        this.deploy = deploy;
    }

    @Override
    public boolean canHandle(File artifact) {
        return FeatureXml.isFeatureFile(artifact.toPath());
    }

    @Override
    public synchronized void install(File artifact) {
        update(artifact);
    }

    @Override
    public synchronized void update(File artifact) {
        Path file = artifact.toPath();
        FeatureDescriptor feature;
        try {
            feature = FeatureXml.read(file);
        } catch (FeatureXml.InvalidFeatureException e) {
            LOG.severe(file + ": feature not deployed: " + e.getMessage());
            return;
        }
        FeatureDescriptor previous = deployed.put(file, feature);
        for (FeatureDescriptor.Plugin plugin : feature.plugins()) {
            deployPlugin(file, plugin);
        }
        if (previous != null) {
            removeUnused(previous);
        }
        LOG.info(file + ": feature " + feature.id() + " " + feature.version() + " deployed ("
                + feature.plugins().size() + " plugins)");
    }

    @Override
    public synchronized void uninstall(File artifact) {
        Path file = artifact.toPath();
        FeatureDescriptor removed = deployed.remove(file);
        if (removed != null) {
            removeUnused(removed);
            LOG.info(file + ": feature " + removed.id() + " removed");
        }
    }

    private void deployPlugin(Path featureFile, FeatureDescriptor.Plugin plugin) {
        Path target = deploy.resolve(plugin.deployFileName());
        if (Files.exists(target)) {
            return; // already deployed, possibly a newer jar an admin dropped in: keep it
        }
        Path source = repository.resolve(plugin.repositoryFileName());
        if (!Files.isRegularFile(source)) {
            LOG.severe(featureFile + ": plugin " + plugin.id() + " " + plugin.version() + " is not in the repository ("
                    + source + " is missing)");
            return;
        }
        try {
            Path temp = Files.createTempFile(deploy, "." + plugin.id(), ".part");
            Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.log(Level.SEVERE, featureFile + ": cannot copy plugin " + source + " to " + target, e);
        }
    }

    private void removeUnused(FeatureDescriptor feature) {
        Set<String> stillNeeded = new HashSet<>();
        for (FeatureDescriptor other : deployed.values()) {
            other.plugins().forEach(plugin -> stillNeeded.add(plugin.id()));
        }
        List<FeatureDescriptor.Plugin> unused = feature.plugins().stream()
                .filter(plugin -> !stillNeeded.contains(plugin.id())).toList();
        for (FeatureDescriptor.Plugin plugin : unused) {
            try {
                Files.deleteIfExists(deploy.resolve(plugin.deployFileName()));
            } catch (IOException e) {
                LOG.log(Level.SEVERE, "cannot remove plugin jar " + deploy.resolve(plugin.deployFileName()), e);
            }
        }
    }
}
