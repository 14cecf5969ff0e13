package dev.gracefulshutdown.internal.guard;

import dev.gracefulshutdown.internal.capture.Scope;
import java.util.List;

/**
 * What a {@code @GracefulShutdownTest} class's {@code @BeforeAll}/{@code @AfterAll} (and class-level extensions) left
 * running when the class ended: shared by its tests, judged by none of them, so reported for the class instead of
 * silently dropped, the way randomizedtesting's suite scope does. Then stopped, like a test's leftovers.
 */
public final class ClassLeftovers {

    private ClassLeftovers() {
    }

    /** Inspects and stops the class's lifetime; the report of what was left, or {@code null} when nothing was. */
    public static String inspectAndStop(Scope scope, String testClass) {
        List<Leak> leaks = Inspection.leaks(scope, testClass);
        Inspection.stop(scope);
        if (leaks.isEmpty()) {
            return null;
        }
        StringBuilder report = new StringBuilder("Left running by the class when it ended (its @BeforeAll/@AfterAll or "
                + "class-level extensions; shared by its tests, so judged by none of them): ");
        for (Leak leak : leaks) {
            report.append("\n- ").append(leak.kind()).append(": ").append(leak.what()).append(' ').append(leak.kind().verb)
                    .append(leak.detail().isEmpty() ? "" : " (" + leak.detail() + ")").append(", at ").append(leak.site())
                    .append("; fix: ").append(leak.kind().fix());
        }
        return report.toString();
    }
}
