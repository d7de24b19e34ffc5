/**
 * Sources: certificates certwatch did not issue, observed where they are used. A source bundle registers a
 * {@link org.certwatch.api.source.CertificateSource} (whiteboard) and reports each check of a location to the
 * {@link org.certwatch.api.source.LocationRegistry}, which keeps the location, its history and the
 * succession of its certificates in the store.
 */
@Export
@Version("1.1.0")
package org.certwatch.api.source;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
