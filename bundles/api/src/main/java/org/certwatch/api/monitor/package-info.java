/** Expiry evaluation: certificate and computer health, and the summary every view shows. */
@Export
@Version("1.1.0")
package org.certwatch.api.monitor;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
