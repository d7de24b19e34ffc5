package org.certwatch.deployer.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.commons.features.FeatureDescriptor;
import org.certwatch.commons.features.FeatureXml;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Logs {@code certwatch ready} once, when every bundle of every feature deployed in the deploy folder
 * is active, so scripts and tests can wait for that line.
 */
@Component(service = {})
public final class ReadinessReporter implements BundleListener {
    private static final Logger LOG = Logger.getLogger("org.certwatch.ready");

    private final BundleContext context;
    private final Path deploy;
    private final AtomicBoolean announced = new AtomicBoolean();

    @Activate
    public ReadinessReporter(BundleContext context) {
        this.context = context;
        this.deploy = Path.of(context.getProperty(RuntimeProperties.DEPLOY));
        context.addBundleListener(this);
        check();
    }

    @Deactivate
    void stop() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STARTED || event.getType() == BundleEvent.RESOLVED) {
            check();
        }
    }

    private void check() {
        if (announced.get()) {
            return;
        }
        List<FeatureDescriptor> features = deployedFeatures();
        if (features.isEmpty() || !allActive(features) || !announced.compareAndSet(false, true)) {
            return;
        }
        List<String> ids = features.stream().map(FeatureDescriptor::id).sorted().toList();
        LOG.info("certwatch ready: features " + String.join(",", ids)
                + "; bind " + context.getProperty(RuntimeProperties.BIND)
                + ", snmp udp/" + context.getProperty(RuntimeProperties.SNMP_PORT)
                + ", https tcp/" + context.getProperty(RuntimeProperties.HTTPS_PORT)
                + ", agent tcp/" + context.getProperty(RuntimeProperties.AGENT_PORT));
    }

    private boolean allActive(List<FeatureDescriptor> features) {
        Map<String, Bundle> bySymbolicName = new HashMap<>();
        for (Bundle bundle : context.getBundles()) {
            bySymbolicName.put(bundle.getSymbolicName(), bundle);
        }
        for (FeatureDescriptor feature : features) {
            for (FeatureDescriptor.Plugin plugin : feature.plugins()) {
                Bundle bundle = bySymbolicName.get(plugin.id());
                if (bundle == null || !isUp(bundle)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isUp(Bundle bundle) {
        boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
        return bundle.getState() == Bundle.ACTIVE || (fragment && bundle.getState() == Bundle.RESOLVED);
    }

    private List<FeatureDescriptor> deployedFeatures() {
        List<FeatureDescriptor> features = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(deploy, "*.feature.xml")) {
            for (Path file : files) {
                try {
                    features.add(FeatureXml.read(file));
                } catch (FeatureXml.InvalidFeatureException e) {
                    // the feature installer reports it; a broken feature cannot hold up readiness
                }
            }
        } catch (IOException e) {
            LOG.warning("cannot list deploy folder " + deploy + ": " + e.getMessage());
        }
        return features;
    }
}
