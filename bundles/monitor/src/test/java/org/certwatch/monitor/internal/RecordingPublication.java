package org.certwatch.monitor.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a {@link MonitorComponent} published, as the framework would have seen it. */
final class RecordingPublication implements MonitorPublication {
    final List<String> waiting = new CopyOnWriteArrayList<>();
    volatile MonitorRuntime runtime;
    volatile boolean withdrawn;

    @Override
    public void waiting(String why) {
        waiting.add(why);
    }

    @Override
    public void ready(MonitorRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void withdraw() {
        withdrawn = true;
    }
}
