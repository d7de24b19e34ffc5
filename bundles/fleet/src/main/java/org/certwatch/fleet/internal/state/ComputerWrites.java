package org.certwatch.fleet.internal.state;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.fleet.internal.storage.ComputerRow;
import org.certwatch.fleet.internal.storage.FleetStorage;

/**
 * Makes computer changes durable with a group commit: a change is queued in the order of the fleet
 * lock (so a later row of a computer is never stored before an earlier one), and whoever waits for
 * it first stores everything queued by then in one {@link FleetStorage#computersChanged} call while
 * the others wait; replications arriving together share one sync.
 */
final class ComputerWrites {
    private final FleetStorage storage;
    private List<ComputerRow> queued = new ArrayList<>(); // guarded by this
    private long queuedThrough; // guarded by this; tickets are 1, 2, 3…
    private long storedThrough; // guarded by this
    private boolean storing; // guarded by this
    private IOException failure; // guarded by this
    private long failedThrough; // guarded by this

    ComputerWrites(FleetStorage storage) {
        this.storage = storage;
    }

    /** Queues a row; the caller holds the fleet lock. The ticket to wait for. */
    synchronized long queue(ComputerRow row) {
        queued.add(row);
        return ++queuedThrough;
    }

    /** Returns when the change of this ticket (and every earlier one) is stored. */
    void awaitStored(long ticket) throws IOException {
        while (true) {
            List<ComputerRow> batch;
            long through;
            synchronized (this) {
                while (storing && storedThrough < ticket) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while the computers were being stored");
                    }
                }
                if (storedThrough >= ticket) {
                    return;
                }
                if (ticket <= failedThrough) {
                    throw failure;
                }
                storing = true;
                batch = queued;
                through = queuedThrough;
                queued = new ArrayList<>();
            }
            IOException failed = null;
            try {
                storage.computersChanged(batch);
            } catch (IOException | RuntimeException e) {
                failed = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            synchronized (this) {
                storing = false;
                if (failed == null) {
                    storedThrough = through;
                } else {
                    // the rows go back in front, so the next batch stores them; their waiters learn of the failure
                    batch.addAll(queued);
                    queued = batch;
                    failure = failed;
                    failedThrough = through;
                }
                notifyAll();
            }
            if (failed != null) {
                throw failed;
            }
        }
    }
}
