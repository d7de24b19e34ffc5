package org.certwatch.web.internal;

import java.util.List;
import java.util.function.Function;

/** {@code offset}/{@code limit} paging of a list; out-of-range values are refused, not clamped silently. */
record Paging(int offset, int limit) {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;

    static Paging of(Exchange ex) {
        int offset = number(ex.param("offset"), 0, "offset");
        int limit = number(ex.param("limit"), DEFAULT_LIMIT, "limit");
        if (offset < 0) {
            throw Problem.badRequest("offset must be 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Problem.badRequest("limit must lie between 1 and " + MAX_LIMIT);
        }
        return new Paging(offset, limit);
    }

    private static int number(String text, int fallback, String name) {
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw Problem.badRequest(name + " must be a whole number, not '" + text + "'");
        }
    }

    <T> List<T> page(List<T> all) {
        if (offset > 0 && offset >= all.size()) {
            throw Problem.badRequest("offset " + offset + " lies past the end: there are " + all.size() + " items");
        }
        return all.subList(offset, Math.min(all.size(), offset + limit));
    }

    /** One page of a list as the API sends it. */
    record Page(List<Object> items, int offset, int limit, int total) {
    }

    <T> Page json(List<T> all, Function<T, Object> item) {
        return new Page(page(all).stream().map(item).toList(), offset, limit, all.size());
    }
}
