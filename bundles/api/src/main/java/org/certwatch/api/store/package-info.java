/** The certificate store: CAs, peer and monitor-only certificates, their life-cycle operations. */
@Export
@Version("2.2.0")
package org.certwatch.api.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
