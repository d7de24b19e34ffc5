package org.certwatch.commons.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The first start's {@code initial-credentials} file in the data folder ({@code NAME=value} lines,
 * 0600). A line leaves it once its secret lives elsewhere (the key password) or was changed (the admin
 * password), so the file, and a backup of the data folder, keeps no secret longer than needed.
 */
public final class InitialCredentials {
    public static final String FILE = "initial-credentials";

    private InitialCredentials() {
    }

    /** The value of the {@code name=} line, if the file has one. */
    public static Optional<String> value(Path dataFolder, String name) throws IOException {
        Path file = dataFolder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String prefix = name + "=";
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(line -> line.startsWith(prefix))
                .map(line -> line.substring(prefix.length()).strip()).filter(value -> !value.isEmpty()).findFirst();
    }

    /** Takes the {@code name=} line out (the file goes when no line is left); answers whether there was one. */
    public static boolean remove(Path dataFolder, String name) throws IOException {
        Path file = dataFolder.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<String> kept = lines.stream().filter(line -> !line.startsWith(name + "=")).toList();
        if (kept.size() == lines.size()) {
            return false;
        }
        if (kept.stream().allMatch(String::isBlank)) {
            Files.delete(file);
            DurableFiles.fsyncDirectory(dataFolder);
        } else {
            DurableFiles.write(file, (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8), true);
        }
        return true;
    }
}
