/** Notices and the channels (whiteboard) that deliver them from the monitor's durable outbox. */
@Export
@Version("1.4.0")
package org.certwatch.api.notify;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
