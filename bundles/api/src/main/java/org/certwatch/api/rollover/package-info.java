/** The guided six-step CA rollover: its state, the service that walks it, and its refusals. */
@Export
@Version("1.1.0")
package org.certwatch.api.rollover;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
