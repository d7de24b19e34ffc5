/** The audit log every certwatch bundle appends its state changes to. */
@Export
@Version("1.1.0")
package org.certwatch.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
