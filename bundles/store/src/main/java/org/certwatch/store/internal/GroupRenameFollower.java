package org.certwatch.store.internal;

import java.util.List;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.fleet.GroupRenames;
import org.certwatch.commons.groups.RenameFollower;
import org.certwatch.store.internal.core.PkiStore;
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
 * Moves the CAs and certificates of a renamed group ({@link PkiStore#applyGroupRenames}): at the open store's
 * start, when the fleet's {@link GroupRenames} arrives, and on every {@code group/RENAMED}. Enabled by
 * {@link StoreComponent} once the store is open.
 */
@Component(service = EventHandler.class, property = EventConstants.EVENT_TOPIC + "=" + Topics.GROUP_RENAMED)
public final class GroupRenameFollower implements EventHandler {
    private final RenameFollower follower;

    @Activate
    public GroupRenameFollower(@Reference StoreHandle handle) {
        PkiStore store = handle.store();
        follower = new RenameFollower(Logger.getLogger("org.certwatch.store"), "store", new RenameFollower.Applier() {
            @Override
            public long lastApplied() {
                return store.lastGroupRename();
            }

            @Override
            public void apply(List<GroupRename> renames) throws Exception {
                store.applyGroupRenames(renames);
            }
        }).start();
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
