package org.certwatch.monitor.internal;

/**
 * Where {@link MonitorComponent} says how far its start is: {@link RegisteredMonitor} in the framework (the
 * {@link MonitorRuntime} service the bundle's public services reference, and the capability {@code monitor} for
 * the ready line); a recording one in tests.
 */
interface MonitorPublication {
    /** The start failed and is tried again by itself; {@code why} in one line. */
    void waiting(String why);

    /** The monitor is open and runs: publish it. Called once, on the component's delivery thread. */
    void ready(MonitorRuntime runtime);

    /** Withdraws what was published, before the monitor closes. */
    void withdraw();
}
