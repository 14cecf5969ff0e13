package dev.gracefulshutdown.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Data flows one way: no cycle between the kit's packages (read from the sources: imports and fully qualified
 * names). The public package reaches into {@code internal} only at the JUnit glue, where a user's test meets the
 * kit ({@code @ExtendWith} on the annotation, the assertions' note of what they checked).
 */
class PackageDependenciesTest {

    private static final Path SOURCES = Paths.get("src/main/java/dev/gracefulshutdown");
    private static final Pattern REFERENCE = Pattern.compile("dev\\.gracefulshutdown((?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");
    private static final String API = "(public API)";

    @Test
    void noPackageCycle() throws IOException {
        Map<String, Set<String>> uses = dependencies();
        uses.get(API).remove("internal.junit"); // the ways in: the annotations' extensions, the assertions' note
        uses.get(API).remove("internal.explore");

        assertThat(cycles(uses)).as("package dependencies " + uses).isEmpty();
    }

    @Test
    void thePublicPackageReachesIntoInternalOnlyAtTheJunitGlueTheLibraryListAndTheTextFormats() throws IOException {
        assertThat(dependencies().get(API)).containsOnly("internal.junit", "internal.explore", "internal.libraries", "internal.text");
    }

    @Test
    void theLowerRoomsDoNotKnowTheUpperOnes() throws IOException {
        Map<String, Set<String>> uses = dependencies();

        assertThat(uses.get("internal.capture")).containsOnly(API, "internal.libraries", "internal");
        assertThat(uses.get("internal")).isNullOrEmpty(); // the interrupt-safe waits: a leaf
        assertThat(uses.get("internal.report")).containsOnly(API, "internal.text");
        assertThat(uses.get("internal.text")).isNullOrEmpty(); // frames and durations as words: a leaf
        assertThat(uses.get("internal.config")).containsOnly(API);
        assertThat(uses.get("internal.judge")).doesNotContain("internal.simulate", "internal.junit", "internal.fork",
                "internal.container");
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path file : files) {
            String from = name(SOURCES.relativize(file.getParent()).toString().replace('/', '.').replace('\\', '.'));
            Set<String> to = uses.computeIfAbsent(from, p -> new TreeSet<>());
            Matcher reference = REFERENCE.matcher(Files.readString(file));
            while (reference.find()) {
                String target = name(reference.group(1).isEmpty() ? "" : reference.group(1).substring(1));
                if (!target.equals(from)) {
                    to.add(target);
                }
            }
        }
        return uses;
    }

    private static String name(String relativePackage) {
        return relativePackage.isEmpty() ? API : relativePackage;
    }

    /** Each package that reaches itself again, with the path. */
    private static List<String> cycles(Map<String, Set<String>> uses) {
        List<String> cycles = new ArrayList<>();
        for (String start : uses.keySet()) {
            List<String> path = new ArrayList<>();
            if (reaches(start, start, uses, path, new TreeSet<>())) {
                cycles.add(start + " -> " + String.join(" -> ", path));
            }
        }
        return cycles;
    }

    private static boolean reaches(String from, String target, Map<String, Set<String>> uses, List<String> path,
            Set<String> seen) {
        for (String next : uses.getOrDefault(from, Set.of())) {
            path.add(next);
            if (next.equals(target) || seen.add(next) && reaches(next, target, uses, path, seen)) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }
}
