package org.certwatch.snmp.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The parsed, checked configuration of one agent run. Everything that can be wrong with a value is
 * found here, before the agent is touched, so a bad edit keeps the running agent as it is.
 */
record AgentSettings(String bind, int port, String sysContact, String sysName, String sysLocation,
        List<Community> communities, List<User> users, List<Target> targets, int informTimeoutMillis,
        int informRetries, int workerThreads) {

    /** A read-only v1/v2c community, optionally limited to one group context ("" = default context). */
    record Community(String community, String context) {
    }

    /** An SNMPv3 user (HMAC-SHA-256 + AES-128); {@code context} null = every context. */
    record User(String name, String authPassword, String privPassword, String context) {
        @Override
        public String toString() {
            return "User[" + name + (context == null ? "" : "@" + context) + "]";
        }
    }

    /** A notification target; {@code credential} is the community (v2c) or the USM user name (v3). */
    record Target(String host, int port, boolean v3, boolean inform, String credential) {
        String address() {
            return host + "/" + port;
        }
    }

    static AgentSettings from(SnmpConfiguration config, String bind, int port, User mainUser) {
        return from(config, bind, port, mainUser, List.of());
    }

    /** With {@code managed}: further target entries (same syntax) kept by {@link ManagedTargets}. */
    static AgentSettings from(SnmpConfiguration config, String bind, int port, User mainUser, List<String> managed) {
        List<Community> communities = new ArrayList<>();
        for (String entry : nonNull(config.readCommunities())) {
            String value = entry.trim();
            if (value.isEmpty()) {
                continue;
            }
            int at = value.lastIndexOf('@');
            String community = at < 0 ? value : value.substring(0, at);
            String context = at < 0 ? "" : value.substring(at + 1);
            if (community.isEmpty() || community.length() > 64) {
                throw new IllegalArgumentException("readCommunities: '" + value + "' is not a community (1..64 characters)");
            }
            checkContext("readCommunities", context);
            communities.add(new Community(community, context));
        }
        List<User> users = new ArrayList<>();
        if (mainUser != null) {
            users.add(mainUser);
        }
        for (String entry : nonNull(config.users())) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split(",", -1);
            if (parts.length < 3 || parts.length > 4) {
                throw new IllegalArgumentException("users: '" + redact(entry)
                        + "' must be NAME,AUTHPASSWORD,PRIVPASSWORD[,CONTEXT]");
            }
            String name = parts[0].trim();
            if (name.isEmpty() || name.length() > 32) {
                throw new IllegalArgumentException("users: user name '" + name + "' must have 1..32 characters");
            }
            if (parts[1].length() < 8 || parts[2].length() < 8) {
                throw new IllegalArgumentException("users: the passwords of '" + name + "' must have at least 8 characters");
            }
            String context = parts.length == 4 && !parts[3].isBlank() ? parts[3].trim() : null;
            if (context != null) {
                checkContext("users", context);
            }
            if (users.stream().anyMatch(u -> u.name().equals(name))) {
                throw new IllegalArgumentException("users: user '" + name + "' is defined twice");
            }
            users.add(new User(name, parts[1], parts[2], context));
        }
        List<Target> targets = new ArrayList<>();
        for (String entry : nonNull(config.targets())) {
            if (entry.isBlank()) {
                continue;
            }
            targets.add(parseTarget(entry.trim(), users));
        }
        for (String entry : managed) {
            Target t = parseTarget(entry.trim(), users);
            if (targets.stream().anyMatch(o -> o.host().equals(t.host()) && o.port() == t.port())) {
                throw new IllegalArgumentException("targets: " + t.host() + ":" + t.port() + " is defined twice");
            }
            targets.add(t);
        }
        return new AgentSettings(bind, port, config.sysContact(), config.sysName(), config.sysLocation(),
                List.copyOf(communities), List.copyOf(users), List.copyOf(targets),
                Math.max(100, config.informTimeoutMillis()), Math.max(0, config.informRetries()),
                Math.max(1, config.workerThreads()));
    }

    static Target parseTarget(String entry, List<User> users) {
        String[] parts = entry.split(",", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("targets: '" + entry + "' must be HOST:PORT,v2c|v3,trap|inform,COMMUNITY|USER");
        }
        String hostPort = parts[0].trim();
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("targets: '" + hostPort + "' must be HOST:PORT");
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("targets: port of '" + hostPort + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("targets: port of '" + hostPort + "' is out of range 1..65535");
        }
        String version = parts[1].trim().toLowerCase();
        if (!version.equals("v2c") && !version.equals("v3")) {
            throw new IllegalArgumentException("targets: version '" + parts[1] + "' of '" + hostPort + "' must be v2c or v3");
        }
        String type = parts[2].trim().toLowerCase();
        if (!type.equals("trap") && !type.equals("inform")) {
            throw new IllegalArgumentException("targets: type '" + parts[2] + "' of '" + hostPort + "' must be trap or inform");
        }
        String credential = parts[3].trim();
        if (credential.isEmpty()) {
            throw new IllegalArgumentException("targets: '" + hostPort + "' needs a community or user");
        }
        boolean v3 = version.equals("v3");
        if (v3 && users.stream().noneMatch(u -> u.name().equals(credential))) {
            throw new IllegalArgumentException("targets: '" + hostPort + "' names the unknown SNMPv3 user '" + credential
                    + "' (define it in users)");
        }
        return new Target(host, port, v3, type.equals("inform"), credential);
    }

    private static void checkContext(String key, String context) {
        if (context.length() > 32 || !context.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new IllegalArgumentException(key + ": context '" + context + "' must be printable ASCII, at most 32 octets");
        }
    }

    /** The entries of a list setting: array elements, each of which may hold several separated by ';'. */
    private static List<String> nonNull(String[] values) {
        List<String> entries = new ArrayList<>();
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(";")) {
                    if (!part.isBlank()) {
                        entries.add(part.trim());
                    }
                }
            }
        }
        return entries;
    }

    private static String redact(String entry) {
        int comma = entry.indexOf(',');
        return comma < 0 ? entry : entry.substring(0, comma) + ",…";
    }

    @Override
    public String toString() {
        return "AgentSettings[" + bind + "/" + port + ", communities=" + communities.size() + ", users=" + users
                + ", targets=" + targets + "]";
    }
}
