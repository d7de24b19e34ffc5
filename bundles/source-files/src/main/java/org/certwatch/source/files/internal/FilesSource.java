package org.certwatch.source.files.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.Provider;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.GroupRenames;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.source.CertificateSource;
import org.certwatch.api.source.FileWatch;
import org.certwatch.api.source.FileWatches;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.SecretSealer;
import org.certwatch.commons.groups.RenameFollower;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.certwatch.commons.time.SwitchableClock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The {@code files} source: watches the paths kept in {@code $CERTWATCH_DATA/files/watches.json} and reports
 * every certificate file and keystore alias to the location registry. File-system events are read after a
 * short quiet time; a full rescan each {@code rescan.interval} is the safety net and tells the registry which
 * locations are gone. A new configuration applies in place (@Modified), so the locations never turn NOT_WATCHED
 * for it.
 */
@Component(service = {CertificateSource.class, FileWatches.class, EventHandler.class}, immediate = true,
        configurationPid = "org.certwatch.source.files", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {EventConstants.EVENT_TOPIC + "=" + Topics.CLOCK_CHANGED, EventConstants.EVENT_TOPIC + "=" + Topics.GROUP_RENAMED})
@Designate(ocd = FilesConfiguration.class)
public final class FilesSource implements CertificateSource, FileWatches, EventHandler {
    private static final Logger LOG = Logger.getLogger("org.certwatch.source.files");
    /** How long a stop waits for the file being read. */
    private static final long STOP_GRACE_MILLIS = 5_000;

    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private final WatchAdministration administration;
    private final FileScanner scanner;
    private final FilesWorker worker;
    private final WatchBook book;
    /** The watches follow the fleet's renames of groups (their locations and certificates follow on their own). */
    private final RenameFollower renames;
    private final Leadership leadership;
    private Subscription following = () -> { };
    private Subscription leading = () -> { };
    private DirectoryEvents events;
    private volatile Bounds bounds;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog auditLog;

    @Activate
    public FilesSource(FilesConfiguration config, @Reference LocationRegistry registry,
            @Reference SecretSealer sealer, @Reference(name = "backend") FilesBackend backend) throws IOException {
        this(backend.watches(), backend.leadership(), config, registry, sealer, new BouncyCastleProvider());
    }

    /** Outside OSGi (tests, the benchmark): {@code folder} holds {@code watches.json}; then {@link #start()}. */
    public FilesSource(Path folder, FilesConfiguration config, LocationRegistry registry, SecretSealer sealer,
            Provider pkcs12) throws IOException {
        this(new FileDocument(folder.resolve("watches.json"), true), Backends.ALONE, config, registry, sealer, pkcs12);
    }

    FilesSource(StoredDocument watches, Leadership leadership, FilesConfiguration config, LocationRegistry registry,
            SecretSealer sealer, Provider pkcs12) throws IOException {
        this.bounds = Bounds.of(config);
        this.book = WatchBook.open(watches);
        this.leadership = leadership;
        this.administration = new WatchAdministration(book, sealer, clock, this::audit, this::reconfigure,
                roots(config));
        this.scanner = new FileScanner(registry, new CertificateReader(pkcs12, bounds), clock, this::watchFolder,
                bounds);
        this.worker = new FilesWorker(scanner, clock, () -> bounds, leadership::isLeader);
        this.renames = new RenameFollower(Logger.getLogger("org.certwatch.source.files"), "files source", all -> {
            if (book.followRenames(all)) {
                reconfigure();
            }
        });
    }

    /** Starts the two threads; the first full scan follows at once (on the leader). */
    @Activate
    public void start() throws IOException {
        events = new DirectoryEvents(worker::changed, worker::rescanNow);
        reconfigure();
        worker.start();
        // another server's edits are served here too; a new leader scans everything first
        following = book.watch(() -> {
            if (book.refresh()) {
                reconfigure();
            }
        });
        leading = leadership.onChange(leader -> {
            if (leader) {
                worker.rescanNow();
            }
        });
        renames.start();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRenames(GroupRenames fleet) {
        renames.source(fleet);
    }

    void unbindRenames(GroupRenames fleet) {
        renames.sourceGone(fleet);
    }

    /** Tests: returns once the watches follow the renames known now. */
    void followRenamesNow() {
        renames.catchUp();
    }

    /** On the worker's thread, which starts after {@link #start()} set the field. */
    private void watchFolder(Path folder) {
        events.watch(folder);
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(Clock registryClock) {
        clock.set(registryClock);
    }

    void unbindClock(Clock registryClock) {
        // mandatory: SCR binds the replacement first, or deactivates the component
    }

    @Modified
    void modified(FilesConfiguration config) {
        bounds = Bounds.of(config);
        administration.roots(roots(config));
        reconfigure();
    }

    @Deactivate
    public void deactivate() throws IOException {
        renames.close();
        leading.close();
        following.close();
        worker.stop(STOP_GRACE_MILLIS);
        events.close();
    }

    /** The test clock moved: the worker measures its waits again. A group was renamed: the watches follow. */
    @Override
    public void handleEvent(Event event) {
        if (Topics.GROUP_RENAMED.equals(event.getTopic())) {
            renames.request();
        } else {
            worker.submit(() -> { });
        }
    }

    @Override
    public String name() {
        return FileScanner.SOURCE;
    }

    @Override
    public String summary() {
        Map<String, String> stopped = scanner.stoppedWalks();
        String line = administration.watches().size() + " watched paths";
        return stopped.isEmpty() ? line : line + "; " + String.join("; ", stopped.entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue()).toList());
    }

    @Override
    public List<FileWatch> watches() {
        return administration.watches();
    }

    @Override
    public Optional<FileWatch> watch(String id) {
        return administration.watch(id);
    }

    @Override
    public FileWatch create(FileWatch watch, char[] password, String actor) {
        return administration.create(watch, password, actor);
    }

    @Override
    public FileWatch update(FileWatch watch, char[] password, String actor) {
        return administration.update(watch, password, actor);
    }

    @Override
    public void delete(String id, String actor) {
        administration.delete(id, actor);
    }

    @Override
    public List<String> allowedRoots() {
        return administration.roots().stream().map(Path::toString).toList();
    }

    /** Hands the watches and bounds to the scanner's thread and rescans there. */
    private void reconfigure() {
        List<ActiveWatch> active = administration.active(LOG::warning);
        List<Path> roots = administration.roots();
        Bounds b = bounds;
        worker.submit(() -> scanner.configure(active, roots, b));
        worker.rescanNow();
    }

    private void audit(AuditEntry entry) {
        AuditLog log = auditLog;
        if (log != null) {
            log.append(entry);
        }
    }

    private static List<Path> roots(FilesConfiguration config) {
        return Arrays.stream(config.allowed_roots()).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> Path.of(s).toAbsolutePath().normalize()).toList();
    }
}
