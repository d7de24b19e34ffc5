package org.certwatch.deployer.internal;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationPlugin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * Checks every configuration against the metatype its component declares before the component sees
 * it. A value of the wrong type or out of range is logged with the file and the key, and the
 * component keeps its last good configuration instead.
 */
// immediate: the last good configurations live in this instance, which must outlive each plugin call
@Component(immediate = true, property = ConfigurationPlugin.CM_RANKING + ":Integer=0")
public final class ConfigurationValidator implements ConfigurationPlugin {
    private static final Logger LOG = Logger.getLogger("org.certwatch.config");
    private static final String FILE_NAME_PROPERTY = "felix.fileinstall.filename";

    private final BundleContext context;
    private final MetaTypeService metaType;
    private final Map<String, Map<String, Object>> lastGood = new ConcurrentHashMap<>();

    @Activate
    public ConfigurationValidator(BundleContext context, @Reference MetaTypeService metaType) {
        this.context = context;
        this.metaType = metaType;
    }

    @Override
    public void modifyConfiguration(ServiceReference<?> reference, Dictionary<String, Object> properties) {
        String pid = (String) properties.get(Constants.SERVICE_PID);
        if (pid == null) {
            return;
        }
        Object factoryPid = properties.get(ConfigurationAdmin.SERVICE_FACTORYPID);
        Optional<ObjectClassDefinition> definition = definition(factoryPid != null ? factoryPid.toString() : pid);
        if (definition.isEmpty()) {
            return;
        }
        List<String> problems = new ArrayList<>();
        List<String> badKeys = new ArrayList<>();
        for (AttributeDefinition attribute : definition.get().getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            Object value = properties.get(attribute.getID());
            if (value == null) {
                continue;
            }
            for (String single : values(value)) {
                String error = attribute.validate(single);
                if (error != null && !error.isEmpty()) {
                    problems.add("key '" + attribute.getID() + "' = '" + single + "': " + error);
                    badKeys.add(attribute.getID());
                    break;
                }
            }
        }
        if (problems.isEmpty()) {
            lastGood.put(pid, copy(properties));
            return;
        }
        Map<String, Object> good = lastGood.get(pid);
        LOG.severe(source(properties, pid) + ": invalid configuration, " + String.join("; ", problems)
                + (good != null ? "; keeping the last good configuration" : "; using the defaults for those keys"));
        if (good != null) {
            for (String key : Collections.list(properties.keys())) {
                if (!good.containsKey(key)) {
                    properties.remove(key);
                }
            }
            good.forEach(properties::put);
        } else {
            badKeys.forEach(properties::remove);
        }
    }

    private static String source(Dictionary<String, Object> properties, String pid) {
        Object file = properties.get(FILE_NAME_PROPERTY);
        return file != null ? file.toString() : "configuration " + pid;
    }

    private static List<String> values(Object value) {
        if (value.getClass().isArray()) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) {
                values.add(String.valueOf(Array.get(value, i)));
            }
            return values;
        }
        if (value instanceof Iterable<?> iterable) {
            List<String> values = new ArrayList<>();
            iterable.forEach(v -> values.add(String.valueOf(v)));
            return values;
        }
        return List.of(String.valueOf(value));
    }

    private static Map<String, Object> copy(Dictionary<String, Object> properties) {
        Map<String, Object> copy = new HashMap<>();
        for (String key : Collections.list(properties.keys())) {
            copy.put(key, properties.get(key));
        }
        return copy;
    }

    private Optional<ObjectClassDefinition> definition(String pid) {
        for (Bundle bundle : context.getBundles()) {
            MetaTypeInformation information = metaType.getMetaTypeInformation(bundle);
            if (information == null) {
                continue;
            }
            for (String candidate : information.getPids()) {
                if (candidate.equals(pid)) {
                    return Optional.ofNullable(information.getObjectClassDefinition(pid, null));
                }
            }
            for (String candidate : information.getFactoryPids()) {
                if (candidate.equals(pid)) {
                    return Optional.ofNullable(information.getObjectClassDefinition(pid, null));
                }
            }
        }
        return Optional.empty();
    }
}
