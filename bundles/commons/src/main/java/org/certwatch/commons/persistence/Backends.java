package org.certwatch.commons.persistence;

import java.util.Objects;
import java.util.Optional;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Persistence;
import org.osgi.framework.BundleContext;

/** The backend chosen at start by the framework property {@code certwatch.backend}. */
public final class Backends {
    /** The target filter of a bundle's references to the PostgreSQL backend's services. */
    public static final String POSTGRESQL = "(" + Persistence.BACKEND_PROPERTY + "=postgresql)";

    /** The leadership of a server alone on its files: always the leader. */
    public static final Leadership ALONE = new Leadership() {
        @Override
        public boolean isLeader() {
            return true;
        }

        @Override
        public Optional<String> leader() {
            return Optional.empty();
        }

        @Override
        public org.certwatch.api.persistence.Subscription onChange(Listener listener) {
            return () -> { };
        }
    };

    private Backends() {
    }

    /** True when the bundles keep their state in the data folder (the default). */
    public static boolean files(BundleContext context) {
        return RuntimeProperties.BACKEND_FILE.equals(Objects.requireNonNullElse(
                context.getProperty(RuntimeProperties.BACKEND), RuntimeProperties.BACKEND_FILE));
    }
}
