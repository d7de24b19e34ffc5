package org.certwatch.persistence.postgresql.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.certwatch.api.Capability;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.commons.ready.Announcement;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The PostgreSQL backend of a server started with {@code certwatch.backend=postgresql}. Activation only schedules
 * the start on the component's own thread: connect, check and migrate the schema, then register
 * {@link Persistence} and {@link Leadership} (service property {@code certwatch.backend=postgresql}) and announce
 * the capability {@code postgresql} for the ready line. While the database cannot be reached at start it tries
 * again every few seconds, the capability announced as failed with why (a schema newer than this release too:
 * an admin may upgrade the release beside it; and the mark of an unfinished {@code certwatch migrate}, which a
 * run that finishes removes). A configuration change restarts it (no {@code @Modified}).
 */
@Capability("postgresql")
// registered by hand once the database answers; the manifest says so, as DS would for a service it registers
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\""
        + "org.certwatch.api.persistence.Persistence,org.certwatch.api.persistence.Leadership\"",
        uses = {Persistence.class, Leadership.class})
@Component(service = {}, immediate = true, configurationPid = PostgresBackendComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PostgresConfiguration.class)
public final class PostgresBackendComponent {
    static final String PID = "org.certwatch.persistence.postgresql";
    private static final Logger LOG = Logger.getLogger("org.certwatch.persistence.postgresql");
    private static final long RETRY_SECONDS = 3;

    private final BundleContext context;
    private final Announcement announcement;
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "certwatch-postgresql-start");
        t.setDaemon(true);
        return t;
    });
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private PostgresBackend backend; // guarded by this
    private String lastFailure; // starter thread only

    @Activate
    public PostgresBackendComponent(BundleContext context, PostgresConfiguration config) {
        this.context = context;
        this.announcement = new Announcement(context, "postgresql");
        String selected = context.getProperty(RuntimeProperties.BACKEND);
        if (!PostgresPersistence.BACKEND.equals(selected)) {
            announcement.failed("not selected: this server started with the backend "
                    + (selected == null ? RuntimeProperties.BACKEND_FILE : selected) + " (a url in " + PID
                    + ".cfg selects PostgreSQL at the next start)");
            return;
        }
        BackendSettings settings;
        try {
            settings = BackendSettings.of(config, password(config));
        } catch (IOException | IllegalArgumentException e) {
            LOG.severe("PostgreSQL backend not started: " + e.getMessage());
            announcement.failed(e.getMessage());
            return;
        }
        String serverId;
        try {
            serverId = ServerIdFile.readOrCreate(Path.of(context.getProperty(RuntimeProperties.DATA)));
        } catch (IOException e) {
            LOG.severe("PostgreSQL backend not started: cannot keep the server id in the data folder: " + e);
            announcement.failed("cannot keep the server id: " + e.getMessage());
            return;
        }
        starter.execute(() -> start(settings, serverId));
    }

    private String password(PostgresConfiguration config) throws IOException {
        Path etc = Path.of(context.getProperty(RuntimeProperties.ETC));
        Path file = etc.resolve(config.password_file());
        try {
            return Files.readString(file, StandardCharsets.UTF_8).replaceAll("[\r\n]+$", "");
        } catch (IOException e) {
            throw new IOException("cannot read the database password from " + file + " (password.file): " + e, e);
        }
    }

    private void start(BackendSettings settings, String serverId) {
        try {
            PostgresBackend opened = PostgresBackend.open(settings, serverId);
            if (!publish(opened)) {
                opened.close();
                return;
            }
            announcement.serving();
            LOG.info("PostgreSQL backend serving: " + settings.where() + ", user " + settings.user() + ", schema version "
                    + SchemaMigrations.codeVersion() + ", server id " + serverId);
        } catch (StorageUnavailableException | SchemaMigrations.SchemaTooNewException
                | PostgresBackend.UnfinishedMigrateException e) {
            String why = e.getMessage();
            if (!why.equals(lastFailure)) {
                LOG.severe("PostgreSQL backend not serving yet (trying again every " + RETRY_SECONDS + " s): " + why);
                if (e instanceof StorageUnavailableException) {
                    // it comes by itself once the database answers: the ready line names it at once as waited for
                    announcement.waiting("the database, retrying every " + RETRY_SECONDS + " s: " + why);
                } else {
                    announcement.failed(why); // needs an admin: a newer release, or the schema put back
                }
                lastFailure = why;
            }
            try {
                starter.schedule(() -> start(settings, serverId), RETRY_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException stopping) {
                // deactivated meanwhile
            }
        }
    }

    /** Registers the services unless the component is stopping; answers whether it did. */
    private synchronized boolean publish(PostgresBackend opened) {
        if (starter.isShutdown()) {
            return false;
        }
        backend = opened;
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Persistence.BACKEND_PROPERTY, PostgresPersistence.BACKEND);
        registrations.add(context.registerService(Persistence.class, opened.persistence(), properties));
        registrations.add(context.registerService(Leadership.class, opened.leadership(), properties));
        return true;
    }

    @Deactivate
    void stop() {
        synchronized (this) {
            starter.shutdownNow();
        }
        try {
            starter.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            for (ServiceRegistration<?> registration : registrations) {
                try {
                    registration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the bundle stopped first
                }
            }
            registrations.clear();
            if (backend != null) {
                backend.close();
                backend = null;
            }
        }
        announcement.withdraw();
    }
}
