package dev.gracefulshutdown.internal.guard;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each JVM's part of the run, as tab-separated lines ({@code T} a guarded test, {@code L} a leak, {@code C} the
 * guard's cost), and their merge. Parts are merged newest last: a test that ran in a newer part replaces what an
 * older part (an earlier run not cleaned away) said of it.
 */
final class Parts {

    record Merged(Set<String> tests, List<GuardRun.Finding> findings, long guardNanos, int parts) {
    }

    private Parts() {
    }

    static void write(Path part, GuardRun run) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("C\t").append(run.guardNanos.get()).append('\n');
        for (String test : new java.util.LinkedHashSet<>(run.tests)) {
            out.append("T\t").append(escape(test)).append('\n');
        }
        for (GuardRun.Finding finding : run.findings) {
            Leak l = finding.leak();
            out.append(String.join("\t", "L", escape(l.test()), l.kind().name(), escape(l.what()), escape(l.site()),
                    escape(l.siteKey()), escape(l.detail()), String.valueOf(finding.baselined()))).append('\n');
        }
        Path temporary = part.resolveSibling(part.getFileName() + ".tmp");
        Files.writeString(temporary, out, StandardCharsets.UTF_8);
        Files.move(temporary, part, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Merges the parts in {@code dir}; this JVM's own part ({@code own}, just written) is taken from {@code run}. */
    static Merged merge(Path dir, Path own, GuardRun run) throws IOException {
        List<Path> parts = new ArrayList<>();
        try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, "guard-*.tsv")) {
            found.forEach(parts::add);
        }
        parts.sort(Comparator.comparing(Parts::modified).thenComparing(Path::toString));
        Map<String, List<GuardRun.Finding>> byTest = new LinkedHashMap<>();
        long nanos = 0;
        for (Path part : parts) {
            Map<String, List<GuardRun.Finding>> mine = new LinkedHashMap<>();
            if (part.equals(own)) { // what was just written, without reading it back
                nanos += run.guardNanos.get();
                run.tests.forEach(test -> mine.computeIfAbsent(test, t -> new ArrayList<>()));
                run.findings.forEach(finding -> mine.computeIfAbsent(finding.leak().test(), t -> new ArrayList<>()).add(finding));
                byTest.putAll(mine);
                continue;
            }
            for (String line : Files.readAllLines(part, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", -1);
                switch (f[0]) {
                    case "C" -> nanos += Long.parseLong(f[1]);
                    case "T" -> mine.computeIfAbsent(unescape(f[1]), t -> new ArrayList<>());
                    case "L" -> mine.computeIfAbsent(unescape(f[1]), t -> new ArrayList<>()).add(new GuardRun.Finding(
                            new Leak(unescape(f[1]), Leak.Kind.valueOf(f[2]), unescape(f[3]), unescape(f[4]),
                                    unescape(f[5]), unescape(f[6])), Boolean.parseBoolean(f[7])));
                    default -> { }
                }
            }
            byTest.putAll(mine); // newer parts replace what older ones said of the same test
        }
        List<GuardRun.Finding> findings = new ArrayList<>();
        byTest.values().forEach(findings::addAll);
        return new Merged(new HashSet<>(byTest.keySet()), findings, nanos, parts.size());
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                out.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
