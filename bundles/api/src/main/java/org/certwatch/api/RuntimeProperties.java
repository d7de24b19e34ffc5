package org.certwatch.api;

/**
 * Framework properties the launcher sets from the environment contract (README.md, "Configuration");
 * components read them from their {@code BundleContext}.
 */
public final class RuntimeProperties {
    public static final String HOME = "certwatch.home";
    public static final String DATA = "certwatch.data";
    public static final String DEPLOY = "certwatch.deploy";
    public static final String ETC = "certwatch.etc";
    public static final String REPOSITORY = "certwatch.repository";
    public static final String BIND = "certwatch.bind";
    public static final String SNMP_PORT = "certwatch.snmp.port";
    public static final String HTTPS_PORT = "certwatch.https.port";
    public static final String AGENT_PORT = "certwatch.agent.port";
    /**
     * Where the bundles keep their state: {@value #BACKEND_FILE} (the default, the data folder) or the
     * name of a shared backend ({@code postgresql}) whose bundle registers
     * {@link org.certwatch.api.persistence.Persistence}. Chosen at start; a bundle never switches while
     * it runs.
     */
    public static final String BACKEND = "certwatch.backend";
    public static final String BACKEND_FILE = "file";

    private RuntimeProperties() {
    }
}
