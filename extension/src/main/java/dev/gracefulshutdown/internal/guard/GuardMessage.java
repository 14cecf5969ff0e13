package dev.gracefulshutdown.internal.guard;

import java.nio.file.Path;
import java.util.List;

/** The failure of a guarded test, in the kit's style: what, where it was created, the fix. */
final class GuardMessage {

    private GuardMessage() {
    }

    static String render(String test, boolean classLevel, List<Leak> leaks, long baselined, Path baseline) {
        StringBuilder m = new StringBuilder(classLevel
                ? "Left running by the class (its @BeforeAll/@AfterAll or class-level extensions) when it ended"
                : "Left running when the test ended");
        m.append(" (graceful-shutdown guard): ").append(leaks.size()).append(leaks.size() == 1 ? " leak" : " leaks").append('\n');
        int i = 1;
        for (Leak leak : leaks) {
            m.append('\n').append(i++).append(") ").append(leak.kind()).append(": ").append(leak.what()).append(' ')
                    .append(leak.kind().verb).append(leak.detail().isEmpty() ? "" : " (" + leak.detail() + ")").append('\n');
            m.append("     ").append(siteVerb(leak.kind())).append(' ').append(leak.site()).append('\n');
            m.append("     fix: ").append(leak.kind().fix()).append('\n');
        }
        m.append("\n(the guard stopped what it could; ");
        if (baselined > 0) {
            m.append(baselined).append(" more leak").append(baselined == 1 ? " is" : "s are").append(" accepted by the baseline; ");
        }
        m.append("accept these for now with -D").append(GuardRun.BASELINE_WRITE).append("=true")
                .append(baseline == null ? " and a " + GuardRun.BASELINE + " file" : " (rewrites " + baseline + ")").append(')');
        return m.toString();
    }

    private static String siteVerb(Leak.Kind kind) {
        return switch (kind) {
            case THREAD_STILL_RUNNING, UNCAUGHT_EXCEPTION -> "started at";
            case POOL_NEVER_SHUT_DOWN -> "created at";
            case TASK_STILL_RUNNING, TASK_STILL_QUEUED -> "submitted at";
            case HOOK_NEVER_REMOVED -> "registered at";
        };
    }
}
