package org.certwatch.commons.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The mark {@code certwatch migrate} leaves in its target while it copies: the document {@value #DOCUMENTS}/
 * {@value #KEY} in a database, the file {@value #FILE} in a data folder. Its text says which run wrote it. A server
 * must not start on a target that still holds it: that is a half copy, which the next migrate empties again.
 */
public final class UnfinishedMigrate {
    public static final String DOCUMENTS = "certwatch.migrate";
    public static final String KEY = "in-progress";
    public static final String FILE = ".migrate-in-progress";

    private UnfinishedMigrate() {
    }

    /** The mark's text in {@code data} (e.g. "from pid 42"), null when the folder holds none. */
    public static String in(Path data) throws IOException {
        try {
            return Files.readString(data.resolve(FILE), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Why a server refuses a data folder holding the mark {@code mark}; says how to get out of it. */
    public static String folderRefusal(Path data, String mark) {
        return "the data folder " + data + " holds an unfinished certwatch migrate (" + FILE + (mark.isEmpty() ? ""
                : ", " + mark) + "): run it again (certwatch migrate --to file --data " + data + ") or remove "
                + data.resolve(FILE) + " to start on the half copy it holds";
    }

    /** Why a server refuses a database holding the mark {@code mark}. */
    public static String databaseRefusal(String where, String mark) {
        return where + " holds an unfinished certwatch migrate (document " + DOCUMENTS + "/" + KEY + (mark.isEmpty()
                ? "" : ", " + mark) + "): run it again (certwatch migrate --to postgresql) or remove the mark to start"
                + " on the half copy it holds (DELETE FROM certwatch_document WHERE name = '" + DOCUMENTS + "')";
    }
}
