package org.certwatch.api.fleet;

import java.util.List;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;

/**
 * The fleet as one user sees it: only what lies in their home group and below, and only with the
 * matching read permission. Everything else does not exist for them.
 */
public interface FleetView {
    List<CertificateInfo> certificates(UserScope scope);

    List<CaInfo> cas(UserScope scope);

    List<Computer> computers(UserScope scope);

    List<Group> groups(UserScope scope);
}
