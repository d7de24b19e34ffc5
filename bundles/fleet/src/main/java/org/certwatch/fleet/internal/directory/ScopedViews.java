package org.certwatch.fleet.internal.directory;

import java.util.List;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.FleetView;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.fleet.internal.state.ComputerRecord;
import org.certwatch.fleet.internal.state.FleetState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** What a user sees: certificates and CAs (with read permission), computers and groups of their home group and below. */
@Component(service = FleetView.class)
public final class ScopedViews implements FleetView {
    private final FleetState state;
    private final CertificateStore store;

    @Activate
    public ScopedViews(@Reference(name = "state") FleetState state, @Reference(name = "store") CertificateStore store) {
        this.state = state;
        this.store = store;
    }

    @Override
    public List<CertificateInfo> certificates(UserScope scope) {
        if (!scope.has(Permission.CERTIFICATES_READ)) {
            return List.of();
        }
        return store.certificates(CertificateQuery.all().withGroup(scope.homeGroup(), true));
    }

    @Override
    public List<CaInfo> cas(UserScope scope) {
        if (!scope.has(Permission.CERTIFICATES_READ)) {
            return List.of();
        }
        return store.cas().stream().filter(ca -> scope.covers(ca.homeGroup())).toList();
    }

    @Override
    public List<Computer> computers(UserScope scope) {
        try (FleetState.Held held = state.exclusive()) {
            return state.computers.values().stream().filter(c -> scope.seesComputersOf(c.group))
                    .map(ComputerRecord::toComputer).toList();
        }
    }

    @Override
    public List<Group> groups(UserScope scope) {
        try (FleetState.Held held = state.exclusive()) {
            return state.groups.values().stream().filter(g -> scope.covers(g.path())).toList();
        }
    }
}
