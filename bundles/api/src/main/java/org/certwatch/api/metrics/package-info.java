/**
 * Whiteboard of the server's own counters: each bundle registers a {@link MetricSource} for what it
 * counts, and the web bundle renders whatever is registered on {@code GET /metrics}.
 */
@Export
@Version("1.0.0")
package org.certwatch.api.metrics;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
