/** Domain values and event topics shared by every certwatch bundle. */
@Export
@Version("1.8.0")
package org.certwatch.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
