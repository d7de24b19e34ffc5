package org.certwatch.web.internal;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Rendered answers (HTML or JSON, with their gzip) kept while the view value they were rendered
 * from is the one {@link Views} hands out: a dashboard or list page is rendered and compressed once
 * per recomputation of its view, not once per request.
 *
 * <p>A body is found only by the identity of its source, which the caller just got from
 * {@code Views} for its own scope, and a slot that names everything else the rendering reads (the
 * scope, the session's CSRF token in the page frame, ...). So a body never outlives its source's
 * turn and is never shown to a user whose view is another object. Sources are held weakly (a list
 * of 100,000 rows stays alive only as long as {@code Views} keeps it) and the bodies' bytes are
 * bounded in total.
 */
final class RenderCache {
    /** Bytes of bodies kept at most; beyond, everything is dropped and rendered again on demand. */
    static final long MAX_BYTES = 16L << 20;

    private record Entry(WeakReference<Object> source, Map<Object, Body> bodies) {
    }

    private final Map<Object, Entry> slots = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    /**
     * The body rendered from {@code source} for {@code slot} and {@code variant}, rendered now if
     * this source has not been rendered there yet; a rendering that throws is not kept.
     */
    Body get(Object slot, Object source, Object variant, Supplier<byte[]> render) {
        Entry entry = slots.get(slot);
        if (entry == null || entry.source().get() != source) {
            entry = new Entry(new WeakReference<>(source), new ConcurrentHashMap<>());
            // a concurrent request holding an older source may put its entry back: harmless, as
            // the identity check above makes the next request with the current source replace it
            slots.put(slot, entry);
        }
        Body body = entry.bodies().get(variant);
        if (body == null) {
            body = Body.of(render.get());
            if (bytes.addAndGet(body.size()) > MAX_BYTES) {
                // bodies of replaced sources are never subtracted, so the count only grows until it is
                // reset here, with everything it counted
                slots.clear();
                bytes.set(body.size());
                entry = new Entry(entry.source(), new ConcurrentHashMap<>());
                slots.put(slot, entry);
            }
            entry.bodies().put(variant, body);
        }
        return body;
    }

    /** How many bytes of bodies are counted (for tests). */
    long bytes() {
        return bytes.get();
    }
}
