package org.certwatch.deployer.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.Serving;
import org.certwatch.commons.features.FeatureDescriptor;
import org.certwatch.commons.features.FeatureXml;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.ReferenceDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * Logs {@code certwatch ready} once, when every bundle of every feature deployed in the deploy folder
 * is active and every capability those bundles name in their {@value Serving#HEADER} header serves
 * (its {@link Serving} service is registered), so scripts and tests can wait for that line and then
 * use every port. A capability whose start failed or that waits for something makes it
 * {@code certwatch ready, except NAME (why)}, and so does one whose bundle's components wait for services that
 * are not there while another says why it does not serve (what needs the database while it is down: named at
 * once, from SCR's view of the components); one that has said nothing {@link #PATIENCE} after its bundles became
 * active is named the same way. After such a line, the plain {@code certwatch ready} line follows once every
 * capability serves (the database came).
 */
@Component(service = {})
public final class ReadinessReporter implements BundleListener, ServiceListener {
    private static final Logger LOG = Logger.getLogger("org.certwatch.ready");
    /** How long capabilities may take to start once their bundles are active (a store opens, keys load). */
    static final Duration PATIENCE = Duration.ofSeconds(120);
    /** The services of the api a blocked capability may wait for (its bundle's own internal ones are not named). */
    private static final String API = "org.certwatch.api.";
    /** A reference target naming a backend: {@code (certwatch.backend=NAME)}. */
    private static final Pattern BACKEND_TARGET = Pattern.compile(
            "\\(" + Pattern.quote(RuntimeProperties.BACKEND) + "=([^)]+)\\)");
    /** How many missing services the line names for one capability; a long list says no more than the first few. */
    private static final int NAMED = 3;

    private final BundleContext context;
    private final Path deploy;
    /** Whether the line was written with an "except" part (the plain one follows once all serve); guarded by this. */
    private boolean announcedExcept;
    private final AtomicBoolean announced = new AtomicBoolean();
    /** Owns the one delayed check at the end of {@link #PATIENCE}; stopped with the component. */
    private final ScheduledExecutorService deadline = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "certwatch-ready-deadline");
        t.setDaemon(true);
        return t;
    });
    private Instant bundlesActiveAt;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime components;

    @Activate
    public ReadinessReporter(BundleContext context) throws InvalidSyntaxException {
        this.context = context;
        this.deploy = Path.of(context.getProperty(RuntimeProperties.DEPLOY));
        context.addBundleListener(this);
        context.addServiceListener(this, "(" + Constants.OBJECTCLASS + "=" + Serving.NAME + ")");
        check();
    }

    @Deactivate
    void stop() {
        context.removeBundleListener(this);
        context.removeServiceListener(this);
        deadline.shutdownNow();
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STARTED || event.getType() == BundleEvent.RESOLVED) {
            check();
        }
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        check();
    }

    private synchronized void check() {
        if (announced.get()) {
            return;
        }
        List<FeatureDescriptor> features = deployedFeatures();
        if (features.isEmpty() || !allActive(features)) {
            return;
        }
        if (bundlesActiveAt == null) {
            bundlesActiveAt = Instant.now();
            try {
                deadline.schedule(this::check, PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                return;
            }
        }
        boolean late = Duration.between(bundlesActiveAt, Instant.now()).compareTo(PATIENCE) >= 0;
        Set<String> expected = expectedCapabilities(features);
        Map<String, String> states = capabilityStates();
        List<String> except = Readiness.except(expected, states, blocked(features, expected, states), late,
                "not serving after " + PATIENCE.toSeconds() + " s");
        if (except == null || announcedExcept && !except.isEmpty()) {
            return; // still starting, or still not serving what the line named
        }
        if (except.isEmpty()) {
            announced.set(true);
        }
        announcedExcept = !except.isEmpty();
        deadline.shutdownNow(); // the delayed check is not needed any more
        List<String> ids = features.stream().map(FeatureDescriptor::id).sorted().toList();
        String line = (except.isEmpty() ? "certwatch ready" : "certwatch ready, except " + String.join("; ", except))
                + ": features " + String.join(",", ids)
                + "; bind " + context.getProperty(RuntimeProperties.BIND)
                + ", snmp udp/" + context.getProperty(RuntimeProperties.SNMP_PORT)
                + ", https tcp/" + context.getProperty(RuntimeProperties.HTTPS_PORT)
                + ", agent tcp/" + context.getProperty(RuntimeProperties.AGENT_PORT);
        LOG.log(except.isEmpty() ? Level.INFO : Level.WARNING, line);
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

    /** The capabilities the deployed features' bundles announce, in the order the headers name them. */
    private Set<String> expectedCapabilities(List<FeatureDescriptor> features) {
        Set<String> names = new LinkedHashSet<>();
        Set<String> ids = new HashSet<>();
        features.forEach(f -> f.plugins().forEach(p -> ids.add(p.id())));
        for (Bundle bundle : context.getBundles()) {
            String header = bundle.getHeaders("").get(Serving.HEADER);
            if (header != null && ids.contains(bundle.getSymbolicName())) {
                for (String name : header.split(",")) {
                    if (!name.isBlank()) {
                        names.add(name.trim());
                    }
                }
            }
        }
        return names;
    }

    /**
     * The expected capabilities that have said nothing while a component of their bundle waits for a service that
     * is not registered, to the simple names of the missing api services (a bundle's own internal services only
     * wait for those), the first {@value #NAMED} of them.
     */
    private Map<String, String> blocked(List<FeatureDescriptor> features, Set<String> expected,
            Map<String, String> states) {
        ServiceComponentRuntime scr = components;
        Map<String, String> blocked = new HashMap<>();
        if (scr == null || states.keySet().containsAll(expected)) {
            return blocked;
        }
        Set<String> ids = new HashSet<>();
        features.forEach(f -> f.plugins().forEach(p -> ids.add(p.id())));
        for (Bundle bundle : context.getBundles()) {
            String header = bundle.getHeaders("").get(Serving.HEADER);
            if (header == null || !ids.contains(bundle.getSymbolicName())) {
                continue;
            }
            Set<String> missing = new TreeSet<>();
            for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
                for (ComponentConfigurationDTO configuration : scr.getComponentConfigurationDTOs(description)) {
                    if (configuration.state != ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                        continue;
                    }
                    for (UnsatisfiedReferenceDTO unsatisfied : configuration.unsatisfiedReferences) {
                        for (ReferenceDTO reference : description.references) {
                            if (reference.name.equals(unsatisfied.name) && reference.interfaceName.startsWith(API)
                                    && !forAnotherBackend(reference.target, chosenBackend())) {
                                missing.add(reference.interfaceName.substring(reference.interfaceName.lastIndexOf('.') + 1));
                            }
                        }
                    }
                }
            }
            if (!missing.isEmpty()) {
                List<String> named = missing.stream().limit(NAMED).toList();
                String what = String.join(", ", named) + (missing.size() > NAMED
                        ? " and " + (missing.size() - NAMED) + " more services" : "");
                for (String name : header.split(",")) {
                    if (!name.isBlank() && !states.containsKey(name.trim())) {
                        blocked.put(name.trim(), what);
                    }
                }
            }
        }
        return blocked;
    }

    /**
     * True for a reference to another backend's services (the shared implementations' {@code (certwatch.backend=
     * postgresql)} on a server on its files): such a component waits by design, for as long as the server runs.
     */
    static boolean forAnotherBackend(String target, String chosen) {
        if (target == null) {
            return false;
        }
        Matcher backend = BACKEND_TARGET.matcher(target);
        return backend.find() && !backend.group(1).equals(chosen);
    }

    private String chosenBackend() {
        return Objects.requireNonNullElse(context.getProperty(RuntimeProperties.BACKEND), RuntimeProperties.BACKEND_FILE);
    }

    /** Capability name to "" (serving), its failure or "waiting for …", from the registered {@link Serving} services. */
    private Map<String, String> capabilityStates() {
        Map<String, String> states = new HashMap<>();
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(Serving.NAME, null);
            for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
                Object name = ref.getProperty(Serving.CAPABILITY);
                Object failure = ref.getProperty(Serving.FAILURE);
                Object waitsFor = ref.getProperty(Serving.WAITING);
                if (name != null) {
                    states.put(name.toString(), failure != null ? failure.toString()
                            : waitsFor != null ? "waiting for " + waitsFor : "");
                }
            }
        } catch (InvalidSyntaxException impossible) {
            throw new IllegalStateException(impossible);
        }
        return states;
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
