package org.certwatch.commons.persistence;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One bundle's part of what {@code certwatch migrate} moves between the data folder's files and a shared backend,
 * written by the bundle over its own file and shared storage classes, so the migration knows no storage format.
 * The migration runs outside OSGi on the release's jars and finds the parts with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.certwatch.commons.persistence.StateCopy} in each bundle; inert inside OSGi).
 */
public interface StateCopy {
    /** The part's name in the migration's table, e.g. {@code store}. */
    String part();

    /**
     * What {@code side} holds of this part, by kind, always the same kinds in the same order (a kind with nothing is
     * a zero count). Reading never writes: the source of a migration stays as it was.
     */
    List<Tally> tally(StateSide side) throws Exception;

    /**
     * Why this part may not be copied from {@code from} for servers configured by {@code etc} and {@code env} (the
     * store: their key password does not open it), or null.
     */
    default String refusal(StateSide from, Map<String, String> env, Path etc) throws Exception {
        return null;
    }

    /** Copies this part from {@code from} to {@code to}, which holds nothing of it yet. */
    void copy(StateSide from, StateSide to) throws Exception;
}
