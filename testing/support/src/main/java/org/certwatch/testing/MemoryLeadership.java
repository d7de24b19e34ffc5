package org.certwatch.testing;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Subscription;

/** A lease a unit test hands over by {@link #set}: listeners are called on the test's thread. */
public final class MemoryLeadership implements Leadership {
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final String serverId;
    private volatile boolean leader;

    public MemoryLeadership(String serverId, boolean leader) {
        this.serverId = serverId;
        this.leader = leader;
    }

    public void set(boolean leader) {
        boolean changed = this.leader != leader;
        this.leader = leader;
        if (changed) {
            listeners.forEach(l -> l.leadershipChanged(leader));
        }
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public Optional<String> leader() {
        return leader ? Optional.of(serverId) : Optional.empty();
    }

    @Override
    public Subscription onChange(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
