package org.certwatch.launcher;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Before the framework starts: what the data, configuration and deploy folders need from this
 * release — the first start's credentials, key password and sample configuration, a key password
 * moved out of an older installation's data folder, and the release's features in the deploy folder.
 * Each step logs what it did, never a secret.
 */
final class AdminFolders {
    private AdminFolders() {
    }

    static void prepare(LauncherSettings settings, BackendSelection backend, Map<String, String> env,
            Path workingDirectory, Logger log) {
        boolean firstStart = FirstStartCredentials.isFirstStart(settings.data());
        SecureRandom random = new SecureRandom();
        KeyPasswordFile.location(env, settings.etc(), workingDirectory)
                .flatMap(file -> KeyPasswordFile.prepare(file, settings.data(), firstStart, random))
                .ifPresent(log::info);
        Path credentials = FirstStartCredentials.writeIfFirstStart(settings.data(), env, random);
        if (credentials != null) {
            log.info("first start: generated credentials written to " + credentials + " (mode 0600); read them there");
        }
        if (firstStart) {
            for (Path sample : SampleConfigurations.write(settings.repository(), settings.etc())) {
                log.info("first start: sample configuration " + sample + " (every key commented out)");
            }
        }
        ReleaseFeatures.update(settings.features(), settings.repository(), settings.deploy(), backend.withheldFeatures())
                .forEach(change -> log.info("deploy folder " + settings.deploy() + ": " + change));
    }
}
