package dev.gracefulshutdown.internal.guard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The baseline file: the leaks a suite already has, one sorted line each ({@code test | KIND | site}, the site
 * without line numbers), so that it survives edits and reads well in a diff. Lines starting with {@code #} are
 * comments.
 */
final class Baseline {

    private Baseline() {
    }

    static Set<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Set.of();
        }
        try {
            Set<String> keys = new TreeSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String trimmed = line.strip();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    keys.add(trimmed);
                }
            }
            return Collections.unmodifiableSet(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("graceful-shutdown guard: cannot read the baseline " + file, e);
        }
    }

    static void write(Path file, Set<String> keys) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# graceful-shutdown-junit suite guard baseline: leaks accepted for now, one per line");
        lines.add("# test | kind | creation site (no line numbers). Rewrite: -Dgracefulshutdown.guard.baseline.write=true");
        lines.addAll(new TreeSet<>(keys));
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    static String testOf(String key) {
        int bar = key.indexOf(" | ");
        return bar < 0 ? key : key.substring(0, bar);
    }
}
