package org.certwatch.snmp.internal;

import java.util.List;
import org.certwatch.api.snmp.SnmpSettingsService;
import org.certwatch.api.snmp.SnmpTarget;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link SnmpSettingsService}: the notification targets set at run time (see {@link SnmpSettings}). */
@Component(service = SnmpSettingsService.class)
public final class SnmpSettingsComponent implements SnmpSettingsService {
    private final SnmpSettings settings;

    @Activate
    public SnmpSettingsComponent(@Reference SnmpRuntime runtime) {
        this.settings = runtime.settings();
    }

    @Override
    public List<SnmpTarget> targets() {
        return settings.targets();
    }

    @Override
    public void setTargets(List<SnmpTarget> targets, String actor) {
        settings.setTargets(targets, actor);
    }
}
