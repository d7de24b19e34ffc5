package org.certwatch.web.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Rendered answers (HTML or JSON, with their gzip) kept while the view value they were rendered
 * from is the one {@link Views} hands out: a dashboard or list page is rendered and compressed once
 * per recomputation of its view, not once per request.
 *
 * <p>A body is found only by the identity of its source, which the caller just got from
 * {@code Views} for its own scope, and a slot that names everything else the rendering reads (the
 * scope, the session's CSRF token in the page frame, ...). So a body never outlives its source and
 * is never shown to a user whose view is another object.
 */
final class RenderCache {
    /** Slots kept at most (a slot per user scope and list filter, or per session for pages). */
    static final int MAX_SLOTS = 256;
    /** Variants (pages of one list) kept per source at most. */
    static final int MAX_VARIANTS = 64;

    private record Entry(Object source, Map<Object, Body> bodies) {
    }

    private final Map<Object, Entry> slots = new ConcurrentHashMap<>();

    /**
     * The body rendered from {@code source} for {@code slot} and {@code variant}, rendered now if
     * this source has not been rendered there yet; a rendering that throws is not kept.
     */
    Body get(Object slot, Object source, Object variant, Supplier<byte[]> render) {
        Entry entry = slots.get(slot);
        if (entry == null || entry.source() != source) {
            if (slots.size() >= MAX_SLOTS) {
                slots.clear();
            }
            entry = new Entry(source, new ConcurrentHashMap<>());
            // a concurrent request holding an older source may put its entry back: harmless, as
            // the identity check above makes the next request with the current source replace it
            slots.put(slot, entry);
        }
        Body body = entry.bodies().get(variant);
        if (body == null) {
            body = Body.of(render.get());
            if (entry.bodies().size() >= MAX_VARIANTS) {
                entry.bodies().clear();
            }
            entry.bodies().put(variant, body);
        }
        return body;
    }

    /** How many slots are kept (for tests). */
    int slots() {
        return slots.size();
    }
}
