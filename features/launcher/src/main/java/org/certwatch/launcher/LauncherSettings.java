package org.certwatch.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the release, the admin's folders and the state live and which ports it serves, resolved from
 * the environment contract documented in README.md ("Configuration"). The release ({@code home}:
 * {@code lib/}, {@code system/}, {@code repository/}, {@code features/}) is only read; configuration
 * ({@code etc}) and drop-ins ({@code deploy}) default to folders beside the data folder, so replacing
 * the release leaves them alone.
 */
record LauncherSettings(
        Path home,
        Path data,
        Path deploy,
        Path etc,
        Path system,
        Path repository,
        Path features,
        String bind,
        int snmpPort,
        int httpsPort,
        int agentPort) {

    static LauncherSettings from(Map<String, String> env, Path home, Path workingDirectory) {
        Path data = pathOr(env, "CERTWATCH_DATA", workingDirectory.resolve("data"), workingDirectory);
        Path beside = data.getParent() != null ? data.getParent() : data;
        return new LauncherSettings(
                home,
                data,
                pathOr(env, "CERTWATCH_DEPLOY", beside.resolve("deploy"), workingDirectory),
                pathOr(env, "CERTWATCH_ETC", beside.resolve("etc"), workingDirectory),
                home.resolve("system"),
                home.resolve("repository"),
                home.resolve("features"),
                env.getOrDefault("CERTWATCH_BIND", "0.0.0.0"),
                port(env, "CERTWATCH_SNMP_PORT", 1161),
                port(env, "CERTWATCH_HTTPS_PORT", 8443),
                port(env, "CERTWATCH_AGENT_PORT", 2222));
    }

    private static Path pathOr(Map<String, String> env, String name, Path fallback, Path workingDirectory) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback.toAbsolutePath().normalize();
        }
        return workingDirectory.resolve(value).toAbsolutePath().normalize();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new LauncherException(name + "=" + value + " is not a port number (0-65535)");
        }
    }
}
