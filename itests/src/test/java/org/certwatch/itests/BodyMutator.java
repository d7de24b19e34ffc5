package org.certwatch.itests;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mutates a flat JSON object (or an HTML form) given as field → raw value pairs: hostile values (huge, deep, wrong
 * type, invalid UTF-8, lone surrogates), duplicate/unknown/missing fields, and damage to the text
 * itself (truncation, stray or missing punctuation, flipped bits, other encodings). Deterministic for a
 * given {@link Random}.
 */
final class BodyMutator {
    record Mutant(byte[] body, String what) {
    }

    private static final String[] VALUES = {"null", "true", "{}", "[]", "\"\"", "0", "-1", "-0", "1e999999",
            "18446744073709551616", "123456789012345678901234567890", "0.5", "NaN", "Infinity", "\"\\u0000\"",
            "\"\\ud800\"", "\"\\uDFFF\\uD800\"", "\"../../etc/passwd\"", "\"<script>alert(1)</script>\"",
            "\"CN=x,CN=y,O=\\\"\"", "\"All/../../Hamburg\"", "\"2027-02-30T25:61:61Z\"", "\"-999999999-01-01T00:00:00Z\"",
            "[\"a\",1,null]", "{\"$ne\":null}", "\"\\\"\"", "\"\u202e\u0000\""};

    private final Random random;

    BodyMutator(Random random) {
        this.random = random;
    }

    /** {@code fields}: the seed as [name, raw value] pairs; {@code form}: urlencoded form instead of JSON. */
    Mutant mutate(List<String[]> fields, boolean form) {
        List<String[]> f = new ArrayList<>();
        fields.forEach(p -> f.add(p.clone()));
        String what;
        int pick = f.isEmpty() ? 0 : random.nextInt(f.size());
        switch (random.nextInt(12)) {
            case 0 -> {
                String v = VALUES[random.nextInt(VALUES.length)];
                f.get(pick)[1] = v;
                what = "field " + f.get(pick)[0] + " = " + v;
            }
            case 1 -> {
                int depth = new int[] {50, 999, 1001, 5000, 100_000}[random.nextInt(5)];
                f.get(pick)[1] = "[".repeat(depth) + "]".repeat(depth);
                what = "field " + f.get(pick)[0] + " nested " + depth + " deep";
            }
            case 2 -> {
                int length = new int[] {10_000, 200_000, 1_000_000}[random.nextInt(3)];
                f.get(pick)[1] = random.nextBoolean() ? "\"" + "x".repeat(length) + "\"" : "9".repeat(length);
                what = "field " + f.get(pick)[0] + " " + length + " characters long";
            }
            case 3 -> {
                f.add(f.get(pick).clone());
                what = "field " + f.get(pick)[0] + " twice";
            }
            case 4 -> {
                f.add(new String[] {random.nextBoolean() ? "fuzz" : "", "1"});
                what = "an unknown field";
            }
            case 5 -> {
                what = "field " + f.get(pick)[0] + " left out";
                f.remove(pick);
            }
            case 6 -> {
                // many fields: a hash-flooding attempt on the parser's field table
                for (int i = 0; i < 5000; i++) {
                    f.add(new String[] {"f" + i, "0"});
                }
                what = "5,000 extra fields";
            }
            default -> what = null;
        }
        byte[] text = form ? renderForm(f) : render(f);
        if (what != null) {
            return new Mutant(text, what);
        }
        return damage(text);
    }

    /** Damage to the text itself. */
    private Mutant damage(byte[] text) {
        switch (random.nextInt(8)) {
            case 0 -> {
                int cut = random.nextInt(Math.max(1, text.length));
                return new Mutant(java.util.Arrays.copyOf(text, cut), "truncated to " + cut);
            }
            case 1 -> {
                int at = random.nextInt(text.length);
                byte stray = (byte) "{}[]:,\"\\'".charAt(random.nextInt(9));
                return new Mutant(insert(text, at, new byte[] {stray}), "'" + (char) stray + "' inserted at " + at);
            }
            case 2 -> {
                byte[] b = text.clone();
                int flips = 1 + random.nextInt(3);
                for (int i = 0; i < flips; i++) {
                    b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return new Mutant(b, flips + " bit(s) flipped");
            }
            case 3 -> {
                int at = random.nextInt(text.length);
                return new Mutant(insert(text, at, new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff}),
                        "invalid UTF-8 at " + at);
            }
            case 4 -> {
                return new Mutant(new String(text, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE),
                        "UTF-16LE without a byte order mark");
            }
            case 5 -> {
                return new Mutant(concat(text, text), "two objects");
            }
            case 6 -> {
                String[] other = {"", " ", "null", "[]", "\"text\"", "<xml/>", "user=a&password=b", "{", "}", "\u0000"};
                String o = other[random.nextInt(other.length)];
                return new Mutant(o.getBytes(StandardCharsets.UTF_8), "body '" + o + "'");
            }
            default -> {
                int at = random.nextInt(text.length);
                return new Mutant(concat(java.util.Arrays.copyOf(text, at),
                        java.util.Arrays.copyOfRange(text, at + 1, text.length)), "character " + at + " removed");
            }
        }
    }

    static byte[] render(List<String[]> fields) {
        StringBuilder b = new StringBuilder("{");
        for (String[] f : fields) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"').append(f[0]).append("\":").append(f[1]);
        }
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] renderForm(List<String[]> fields) {
        StringBuilder b = new StringBuilder();
        for (String[] f : fields) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(f[0]).append('=').append(f[1]);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] insert(byte[] text, int at, byte[] what) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(text, 0, at);
        out.writeBytes(what);
        out.write(text, at, text.length - at);
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
