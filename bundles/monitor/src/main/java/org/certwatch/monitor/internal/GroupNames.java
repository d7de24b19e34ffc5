package org.certwatch.monitor.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Home-group paths interned to small ints, so each schedule slot stores an int instead of a string. */
final class GroupNames {
    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    /** The index of {@code path}; an empty or absent path is the root group "All". */
    int intern(String path) {
        String p = path == null || path.isEmpty() ? "All" : path;
        Integer i = index.get(p);
        if (i == null) {
            i = names.size();
            names.add(p);
            index.put(p, i);
        }
        return i;
    }

    String name(int index) {
        return names.get(index);
    }

    int size() {
        return names.size();
    }
}
