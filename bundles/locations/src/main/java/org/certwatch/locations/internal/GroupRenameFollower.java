package org.certwatch.locations.internal;

import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.GroupRenames;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.commons.groups.RenameFollower;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Immediate: it catches up when it starts, not at the first {@code group/RENAMED} (a delayed component would only be
 * activated by EventAdmin's first event of that topic, and a rename made while it was stopped would wait for it).
 * Moves the locations of a renamed group ({@link Locations#followRenames}) once the registry is read (it is
 * registered then), when the fleet's {@link GroupRenames} arrives, and on every {@code group/RENAMED}.
 */
@Component(service = EventHandler.class, immediate = true, property = EventConstants.EVENT_TOPIC + "=" + Topics.GROUP_RENAMED)
public final class GroupRenameFollower implements EventHandler {
    private final RenameFollower follower;

    @Activate
    public GroupRenameFollower(@Reference LocationRegistry registry) {
        // the registry this bundle registers (LocationRegistryComponent), once its locations are read
        Locations locations = (Locations) registry;
        follower = new RenameFollower(Logger.getLogger("org.certwatch.locations"), "locations", renames -> locations.followRenames(renames)).start();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRenames(GroupRenames renames) {
        follower.source(renames);
    }

    void unbindRenames(GroupRenames renames) {
        follower.sourceGone(renames);
    }

    @Override
    public void handleEvent(Event event) {
        follower.request();
    }

    @Deactivate
    void stop() {
        follower.close();
    }
}
