package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class RenderCacheTest {
    private final RenderCache cache = new RenderCache();
    private final AtomicInteger renders = new AtomicInteger();

    private byte[] render(String text) {
        renders.incrementAndGet();
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theSameSourceIsRenderedOnceAndANewSourceAgain() {
        List<String> source = List.of("a");
        Body first = cache.get("slot", source, 1, () -> render("one"));
        assertSame(first, cache.get("slot", source, 1, () -> render("never")));
        assertEquals(1, renders.get());
        // an equal but new source object (a recomputed view) is rendered afresh
        Body second = cache.get("slot", List.of("a"), 1, () -> render("two"));
        assertEquals("two", new String(second.plain(), StandardCharsets.UTF_8));
        assertEquals(2, renders.get());
    }

    @Test
    void slotsAndVariantsDoNotShareBodies() {
        List<String> source = List.of("shared");
        cache.get("alice", source, 1, () -> render("alice's"));
        assertEquals("bob's", new String(cache.get("bob", source, 1, () -> render("bob's")).plain(), StandardCharsets.UTF_8));
        assertEquals("page 2", new String(cache.get("alice", source, 2, () -> render("page 2")).plain(),
                StandardCharsets.UTF_8));
        assertEquals(3, renders.get());
    }

    @Test
    void aRenderingThatFailsIsNotKept() {
        Object source = new Object();
        assertThrows(IllegalArgumentException.class, () -> cache.get("slot", source, 1, () -> {
            throw new IllegalArgumentException("offset past the end");
        }));
        assertEquals("ok", new String(cache.get("slot", source, 1, () -> render("ok")).plain(), StandardCharsets.UTF_8));
    }

    @Test
    void keptBytesAreBounded() {
        byte[] page = new byte[1 << 20];
        new java.util.Random(7).nextBytes(page); // incompressible: no gzip form
        for (int i = 0; i < 3 * RenderCache.MAX_BYTES / page.length; i++) {
            cache.get("slot-" + i, new Object(), 1, () -> page);
            assertTrue(cache.bytes() <= RenderCache.MAX_BYTES, "kept " + cache.bytes());
        }
    }

    @Test
    void aSourceIsNotKeptAliveByItsBodies() {
        Object source = new Object();
        java.lang.ref.WeakReference<Object> watch = new java.lang.ref.WeakReference<>(source);
        cache.get("slot", source, 1, () -> render("body"));
        source = null;
        for (int i = 0; i < 50 && watch.get() != null; i++) {
            System.gc(); // a weak referent is cleared by the collection itself
        }
        assertNull(watch.get(), "the cache held on to a view value Views had dropped");
    }

    @Test
    void largeBodiesCarryTheirGzipAndSmallOnesDoNot() throws Exception {
        assertNull(Body.of(new byte[Body.MIN_GZIP - 1]).gzip());
        byte[] text = "<tr><td>certificate</td></tr>".repeat(200).getBytes(StandardCharsets.UTF_8);
        Body body = Body.of(text);
        assertNotNull(body.gzip());
        assertArrayEquals(text, new GZIPInputStream(new ByteArrayInputStream(body.gzip())).readAllBytes());
    }
}
