package dev.gracefulshutdown.internal.report.timeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where a test's timeline goes, and writing it: {@code <test>.html} and, beside it, {@code <test>.trace.json}. */
public final class TimelineFiles {

    /** For which tests a page is written. */
    public enum When {
        /** Only for a test that fails (the default). */
        FAILING,
        /** For every test. */
        ALL,
        /** Never. */
        OFF;

        /** {@code failing}, {@code all} or {@code off}, in any case. */
        public static When parse(String value) {
            for (When when : values()) {
                if (when.name().equalsIgnoreCase(value.trim())) {
                    return when;
                }
            }
            throw new IllegalArgumentException("must be one of failing, all, off");
        }

        public boolean writes(boolean failing) {
            return this == ALL || this == FAILING && failing;
        }
    }

    private static final Pattern SEGMENT = Pattern.compile("\\[([^:\\]]+):([^\\]]*)\\]");
    private static final int MAX_STEM = 150;

    private TimelineFiles() {
    }

    /**
     * A file name for a test, from its JUnit unique id: its class, method and invocation
     * ({@code dev.example.OrderTest.drains.html}, {@code dev.example.OrderTest.retries.3.html}), with every character
     * other than letters, digits, {@code .}, {@code -} and {@code _} replaced.
     */
    public static String stem(String uniqueId) {
        StringBuilder stem = new StringBuilder();
        Matcher segment = SEGMENT.matcher(uniqueId);
        while (segment.find()) {
            String type = segment.group(1);
            String value = segment.group(2);
            if (type.equals("engine")) {
                continue;
            }
            if (value.contains("(")) {
                value = value.substring(0, value.indexOf('(')); // a method's parameter types: overloaded tests are rare
            }
            if (value.startsWith("#")) {
                value = value.substring(1);
            }
            if (stem.length() > 0) {
                stem.append('.');
            }
            stem.append(value);
        }
        String safe = (stem.length() == 0 ? uniqueId : stem.toString()).replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > MAX_STEM) {
            safe = safe.substring(0, MAX_STEM - 9) + "-" + String.format(Locale.ROOT, "%08x", uniqueId.hashCode());
        }
        return safe;
    }

    /**
     * Writes the page and its trace-event JSON into {@code directory} (created if needed); each file is written whole
     * or not at all.
     *
     * @return the page
     */
    public static Path write(Path directory, String stem, Timeline timeline) throws IOException {
        Files.createDirectories(directory);
        Path page = directory.resolve(stem + ".html");
        replace(page, TimelinePage.render(timeline));
        replace(directory.resolve(stem + ".trace.json"), TraceEvents.render(timeline));
        return page;
    }

    private static void replace(Path file, String content) throws IOException {
        Path temporary = Files.createTempFile(file.getParent(), "timeline", ".tmp");
        try {
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
