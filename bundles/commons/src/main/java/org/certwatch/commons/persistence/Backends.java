package org.certwatch.commons.persistence;

import java.util.Objects;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.persistence.Persistence;
import org.osgi.framework.BundleContext;

/** The backend chosen at start by the framework property {@code certwatch.backend}. */
public final class Backends {
    /** The target filter of a bundle's references to the PostgreSQL backend's services. */
    public static final String POSTGRESQL = "(" + Persistence.BACKEND_PROPERTY + "=postgresql)";

    private Backends() {
    }

    /** True when the bundles keep their state in the data folder (the default). */
    public static boolean files(BundleContext context) {
        return RuntimeProperties.BACKEND_FILE.equals(Objects.requireNonNullElse(
                context.getProperty(RuntimeProperties.BACKEND), RuntimeProperties.BACKEND_FILE));
    }
}
