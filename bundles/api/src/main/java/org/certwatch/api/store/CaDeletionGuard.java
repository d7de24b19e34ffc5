package org.certwatch.api.store;

import java.util.List;

/**
 * Whiteboard: a bundle that knows a reason why a CA must not be deleted yet (e.g. the fleet bundle:
 * a computer last authenticated with a certificate the CA issued) registers one of these. The store
 * consults every registered guard before deleting a CA; a forced deletion records the reasons it
 * overrode.
 */
public interface CaDeletionGuard {
    /** Human-readable reasons that block deleting this CA; empty when nothing blocks. */
    List<String> blockingReasons(CaInfo ca);
}
