package org.certwatch.commons.features;

import java.util.List;

/** One {@code feature.xml}: an Eclipse feature with the plugins (bundles) it deploys. */
public record FeatureDescriptor(String id, String version, String label, List<Plugin> plugins) {

    public record Plugin(String id, String version) {
        /** The file name of this plugin in the distribution's repository folder. */
        public String repositoryFileName() {
            return id + "_" + version + ".jar";
        }

        /** The file name the plugin gets in the deploy folder; replacing that file updates the bundle. */
        public String deployFileName() {
            return id + ".jar";
        }
    }
}
