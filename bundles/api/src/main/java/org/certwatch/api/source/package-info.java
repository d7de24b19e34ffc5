/**
 * Sources: certificates certwatch did not issue, observed where they are used. A source bundle registers a
 * {@link org.certwatch.api.source.CertificateSource} (whiteboard) and reports each check of a location to the
 * {@link org.certwatch.api.source.LocationRegistry}, which keeps the location, its history and the
 * succession of its certificates in the store. Since 1.2: findings and endpoint probe details on observations and
 * locations, and the TLS probe source's {@link org.certwatch.api.source.Endpoints} and
 * {@link org.certwatch.api.source.Discovery} services.
 */
@Export
@Version("1.2.0")
package org.certwatch.api.source;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
