/** Settings of the SNMP bundle that admins change at run time (notification targets). */
@Export
@Version("1.0.0")
package org.certwatch.api.snmp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
