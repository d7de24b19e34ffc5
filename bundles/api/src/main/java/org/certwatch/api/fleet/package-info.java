/** Static groups, users and their permissions, and the managed computers. */
@Export
@Version("1.6.0")
package org.certwatch.api.fleet;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
