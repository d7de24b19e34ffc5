package org.certwatch.web.internal;

import org.certwatch.testing.SettableClock;
import org.certwatch.testing.MemoryCertificateStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.api.Role;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.audit.AuditQuery;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.store.CertificateStore;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The web handler on a loopback Jetty (plain HTTP: TLS is covered by the integration tests and
 * {@code WebServerTest}) with in-memory store, audit log and fleet. Two users in sibling groups.
 */
final class TestWeb implements AutoCloseable, Services {
    static final Instant START = Instant.parse("2026-06-15T12:00:00Z");
    static final Duration BASIC_CACHE = Duration.ofSeconds(60);
    final SettableClock clock = new SettableClock(START);
    final MemoryCertificateStore store = new MemoryCertificateStore(clock);
    final List<AuditEntry> audit = new CopyOnWriteArrayList<>();
    final Map<String, User> users = new ConcurrentHashMap<>();
    /** How often the directory ran its (in production slow) password check. */
    final java.util.concurrent.atomic.AtomicInteger passwordChecks = new java.util.concurrent.atomic.AtomicInteger();
    final Map<Long, Computer> computers = new ConcurrentHashMap<>();
    final Server server;
    final Sessions sessions;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final String base;

    TestWeb() throws Exception {
        this(false);
    }

    TestWeb(boolean publicMetrics) throws Exception {
        this(publicMetrics, "");
    }

    /** {@code allowedOrigins}: the web configuration's {@code allowed.origins}. */
    TestWeb(boolean publicMetrics, String allowedOrigins) throws Exception {
        EnumSet<Permission> all = EnumSet.of(Permission.CERTIFICATES_READ, Permission.CERTIFICATES_WRITE,
                Permission.COMPUTERS_READ);
        users.put("alice", new User("alice", "All/Berlin", all, true, START));
        users.put("bob", new User("bob", "All/Hamburg", all, true, START));
        users.put("reader", new User("reader", "All/Berlin", EnumSet.of(Permission.CERTIFICATES_READ), true, START));
        sessions = new Sessions(clock, Duration.ofMinutes(30), 3, Duration.ofSeconds(30));
        WebHandler handler = new WebHandler(this, sessions, new VerifiedCredentials(clock, BASIC_CACHE),
                new CrossSiteGuard(allowedOrigins), Duration.ofDays(90), publicMetrics);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(handler);
        server.setErrorHandler(new ProblemErrorHandler());
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    /** CA and certificates in both groups; one Berlin certificate expiring in 10 days. */
    void seed() {
        var berlinCa = store.addCa("CN=Berlin CA", "All/Berlin", START.plus(Duration.ofDays(3000)));
        var hamburgCa = store.addCa("CN=Hamburg CA", "All/Hamburg", START.plus(Duration.ofDays(3000)));
        var a = store.add(berlinCa.id(), Role.AGENT, "pc-b1", "All/Berlin", START.plus(Duration.ofDays(10)));
        store.add(berlinCa.id(), Role.SERVER, "srv-b", "All/Berlin", START.plus(Duration.ofDays(400)));
        var h = store.add(hamburgCa.id(), Role.AGENT, "pc-h1", "All/Hamburg", START.plus(Duration.ofDays(200)));
        computers.put(1L, new Computer(1, "pc-b1", "All/Berlin", a.id(), a.fingerprint(), START, START, 2, "1", "pc-b1"));
        computers.put(2L, new Computer(2, "pc-h1", "All/Hamburg", h.id(), h.fingerprint(), START, START, 2, "1", "pc-h1"));
    }

    /** {@code root}: home group All, every permission. */
    void addRoot() {
        users.put("root", new User("root", "All", EnumSet.allOf(Permission.class), true, START));
    }

        record Reply(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(), List.of()).stream().findFirst().orElse(null);
        }
    }

    /** A request; a body for the API is sent as application/json unless the headers name another type. */
    Reply send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!typed && body != null && path.startsWith(Api.PREFIX)) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers().map(), r.body());
    }

    Reply get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers);
    }

    static String basic(String user) {
        return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + user + "-password").getBytes());
    }

    /** Logs in through the form; returns {cookie header value, csrf token}. */
    String[] login(String user) throws Exception {
        return login(user, user + "-password");
    }

    /** As {@link #login(String)}, with another password than NAME-password. */
    String[] login(String user, String password) throws Exception {
        Reply r = send("POST", "/login", "user=" + user + "&password=" + password + "&next=/",
                "Content-Type", "application/x-www-form-urlencoded");
        if (r.status() != 303) {
            throw new AssertionError("login failed: " + r);
        }
        String cookie = r.header("set-cookie").split(";")[0];
        Reply page = get("/", "Cookie", cookie);
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("no csrf field on the dashboard");
        }
        return new String[] {cookie, m.group(1)};
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Metric sources as other bundles would register them. */
    final List<org.certwatch.api.metrics.MetricSource> sources = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public List<org.certwatch.api.metrics.MetricSource> metricSources() {
        return sources;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** Set: the store and the audit log are gone (their backend's bundle removed), as {@code LiveServices} says so. */
    volatile boolean storageGone;
    /** Set: the fleet's services are gone. */
    volatile boolean fleetGone;

    @Override
    public CertificateStore store() {
        if (storageGone) {
            throw new org.certwatch.api.persistence.StorageUnavailableException("the certificate store is not running", null);
        }
        return store;
    }

    @Override
    public AuditLog audit() {
        if (storageGone) {
            throw new org.certwatch.api.persistence.StorageUnavailableException("the audit log is not running", null);
        }
        return new AuditLog() {
            @Override
            public void append(AuditEntry entry) {
                audit.add(entry);
            }

            @Override
            public void appendAll(List<AuditEntry> entries) {
                audit.addAll(entries);
            }

            @Override
            public List<AuditEntry> list(AuditQuery query) {
                List<AuditEntry> out = new ArrayList<>();
                for (AuditEntry e : audit) {
                    if (query.matches(e)) {
                        out.add(e);
                    }
                }
                return out;
            }
        };
    }

    @Override
    public Optional<UserDirectory> users() {
        if (fleetGone) {
            return Optional.empty();
        }
        return Optional.of(new UserDirectory() {
            @Override
            public Optional<User> authenticate(String name, char[] password) {
                passwordChecks.incrementAndGet();
                User u = users.get(name);
                return u != null && new String(password).equals(passwords.getOrDefault(name, name + "-password"))
                        ? Optional.of(u) : Optional.empty();
            }

            @Override
            public List<User> users() {
                return List.copyOf(users.values());
            }

            @Override
            public Optional<User> user(String name) {
                return Optional.ofNullable(users.get(name));
            }

            @Override
            public Optional<String> passwordVersion(String name) {
                // as the fleet's: changes with every password set
                return user(name).map(u -> String.valueOf(passwordSets.getOrDefault(name, 0)));
            }
        });
    }

    @Override
    public Optional<ComputerRegistry> computers() {
        return Optional.of(new ComputerRegistry() {
            @Override
            public List<Computer> computers() {
                return List.copyOf(computers.values());
            }

            @Override
            public Optional<Computer> computer(long id) {
                return Optional.ofNullable(computers.get(id));
            }

            @Override
            public Optional<Computer> computerByName(String name) {
                return computers.values().stream().filter(c -> c.name().equals(name)).findFirst();
            }
        });
    }

    @Override
    public Optional<GroupDirectory> groups() {
        List<Group> groups = List.of(new Group("All", "all", ""), new Group("All/Berlin", "berlin", ""),
                new Group("All/Hamburg", "hamburg", ""));
        return Optional.of(new GroupDirectory() {
            @Override
            public List<Group> groups() {
                return groups;
            }

            @Override
            public Optional<Group> group(String path) {
                return groups.stream().filter(g -> g.path().equals(path)).findFirst();
            }

            @Override
            public Optional<Group> groupByShortName(String shortName) {
                return groups.stream().filter(g -> g.shortName().equals(shortName)).findFirst();
            }
        });
    }

    @Override
    public Optional<ExpiryMonitor> monitor() {
        return Optional.empty();
    }

    /** The location registry and the files source, when a test wants them (absent: the API answers 503). */
    volatile org.certwatch.api.source.LocationRegistry locations;
    volatile org.certwatch.api.source.FileWatches fileWatches;

    @Override
    public Optional<org.certwatch.api.source.LocationRegistry> locations() {
        return Optional.ofNullable(locations);
    }

    @Override
    public Optional<org.certwatch.api.source.FileWatches> fileWatches() {
        return Optional.ofNullable(fileWatches);
    }

    /** Passwords changed through the administration; the others are NAME-password. */
    final Map<String, String> passwords = new ConcurrentHashMap<>();
    /** How often each user's password was set. */
    final Map<String, Integer> passwordSets = new ConcurrentHashMap<>();
    final MemoryFleetAdministration administration = new MemoryFleetAdministration(users, passwords, passwordSets);

    @Override
    public Optional<org.certwatch.api.fleet.FleetAdministration> administration() {
        return Optional.of(administration);
    }

    /** The fleet's API tokens, in memory. */
    final MemoryApiTokens apiTokens = new MemoryApiTokens(clock, users);

    @Override
    public Optional<org.certwatch.api.fleet.ApiTokens> apiTokens() {
        return Optional.of(apiTokens);
    }

    /** The fleet's rollovers, when a test wants them (absent: the API answers 503). */
    volatile org.certwatch.api.rollover.RolloverService rollovers;

    @Override
    public Optional<org.certwatch.api.rollover.RolloverService> rollovers() {
        return Optional.ofNullable(rollovers);
    }

    /** The TLS probe's endpoints and discovery, when a test wants them (absent: the API answers 503). */
    volatile org.certwatch.api.source.Endpoints endpoints;
    volatile org.certwatch.api.source.Discovery discovery;

    @Override
    public Optional<org.certwatch.api.source.Endpoints> endpoints() {
        return Optional.ofNullable(endpoints);
    }

    @Override
    public Optional<org.certwatch.api.source.Discovery> discovery() {
        return Optional.ofNullable(discovery);
    }

    /** The monitor's notifications, when a test wants them (absent: the API answers 503). */
    volatile org.certwatch.api.notify.NotificationService notifications;

    @Override
    public Optional<org.certwatch.api.notify.NotificationService> notifications() {
        return Optional.ofNullable(notifications);
    }
}
