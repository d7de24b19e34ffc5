package org.certwatch.locations.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;

/** Comparing a location's findings from one check to the next: as sets, their order is the source's business. */
final class FindingSets {
    /** What a finding is about, without its words (which may count days down). */
    private record Subject(FindingKind kind, int certificateIndex) {
    }

    private FindingSets() {
    }

    /** The same findings, words included: otherwise the location changed. */
    static boolean same(List<Finding> a, List<Finding> b) {
        return a.size() == b.size() && new HashSet<>(a).equals(new HashSet<>(b));
    }

    /** The same kinds about the same certificates: otherwise a finding appeared or cleared. */
    static boolean sameSubjects(List<Finding> a, List<Finding> b) {
        return subjects(a).equals(subjects(b));
    }

    /** The kinds' names, in the findings' order (an event property). */
    static String[] kinds(List<Finding> findings) {
        return findings.stream().map(f -> f.kind().name()).toArray(String[]::new);
    }

    /** The findings' words, in their order (an event property). */
    static String[] texts(List<Finding> findings) {
        return findings.stream().map(Finding::text).toArray(String[]::new);
    }

    private static Set<Subject> subjects(List<Finding> findings) {
        Set<Subject> out = new HashSet<>();
        for (Finding f : findings) {
            out.add(new Subject(f.kind(), f.certificateIndex()));
        }
        return out;
    }
}
