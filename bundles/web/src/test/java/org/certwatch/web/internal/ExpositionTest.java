package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExpositionTest {
    @Test
    void numbersAreWrittenAsLongToStringWritesThem() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Exposition e = new Exposition(out)) {
            for (long v : new long[] {0, 7, -1, 10, 1_767_225_600L, -86_400, Long.MAX_VALUE, Long.MIN_VALUE}) {
                e.number(v).ascii(' ');
            }
        }
        assertEquals("0 7 -1 10 1767225600 -86400 9223372036854775807 -9223372036854775808 ", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void textIsUtf8AndPreparedBytesKeepTheirOrderAcrossTheBuffer() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder expected = new StringBuilder();
        byte[] big = "x".repeat(70_000).getBytes(StandardCharsets.US_ASCII);
        try (Exposition e = new Exposition(out)) {
            for (int i = 0; i < 5_000; i++) {
                e.append("subject_CN=\"Bäckerei Müller 😀\",");
                e.bytes("{a=\"1\"".getBytes(StandardCharsets.UTF_8)).number(i);
                expected.append("subject_CN=\"Bäckerei Müller 😀\",{a=\"1\"").append(i);
            }
            e.bytes(big).write('\n');
            expected.append("x".repeat(70_000)).append('\n');
        }
        assertEquals(expected.toString(), out.toString(StandardCharsets.UTF_8));
    }
}
