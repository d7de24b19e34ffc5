/**
 * The persistence seam for backends shared by several certwatch servers (a database).
 *
 * <p>Each bundle keeps its state through its own internal storage interface. The embedded default
 * implements it with files in the data folder; when the framework property
 * {@link org.certwatch.api.RuntimeProperties#BACKEND} names a shared backend, the bundle implements
 * the same interface over the services of this package instead, and its PKI, import, scheduling and
 * gate logic run unchanged. A backend bundle registers {@link Persistence} and {@link Leadership}
 * with the service property {@link Persistence#BACKEND_PROPERTY}.
 *
 * <p>Three shapes cover everything certwatch keeps: ordered append-only {@link Journal}s (the store's
 * entries, the outbox, the audit log), keyed {@link Documents} (a directory, a settings document, one
 * row per computer or location) and named cross-server locks. Changes made by other servers reach a
 * server through {@link Journal#follow} and {@link Documents#watch}.
 */
@Export
@Version("1.0.0")
package org.certwatch.api.persistence;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
