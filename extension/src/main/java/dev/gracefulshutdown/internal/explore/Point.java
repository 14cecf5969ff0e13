package dev.gracefulshutdown.internal.explore;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.internal.capture.Scope.PointKind;

/**
 * One moment of the application's work that a {@code SIGTERM} can come right after.
 *
 * @param key how replay names it, stable from run to run: {@code "task#2 started"}, {@code "thread#1 started"},
 *            {@code "hook#1 registered"}, {@code "ThreadPoolExecutor#1 shut down"}, with {@code " (2nd time)"} when
 *            the same thing happens again (a periodic task)
 * @param described how a person reads it: {@code "task#2 (submitted at Importer.java:41) started"}
 */
record Point(String key, String described) {

    static Point of(PointKind kind, String subject, String name, CallSite site, int occurrence) {
        String event = switch (kind) {
            case TASK_SUBMITTED -> "submitted";
            case TASK_STARTED, THREAD_STARTED -> "started";
            case TASK_FINISHED -> "finished";
            case HOOK_REGISTERED -> "registered";
            case EXECUTOR_SHUT_DOWN -> "shut down";
        };
        String where = shortSite(site);
        String detail = switch (kind) {
            case TASK_SUBMITTED, TASK_STARTED, TASK_FINISHED -> "submitted at " + where;
            case THREAD_STARTED -> "\"" + name + "\", from " + where;
            case HOOK_REGISTERED -> "\"" + name + "\", at " + where;
            case EXECUTOR_SHUT_DOWN -> "at " + where;
        };
        String again = occurrence <= 1 ? "" : " (" + ordinal(occurrence) + " time)";
        return new Point(subject + " " + event + again, subject + " (" + detail + ") " + event + again);
    }

    /** {@code Importer.java:41}: the innermost frame of the user's code, as a file and a line. */
    static String shortSite(CallSite site) {
        if (site == null || site.frames().isEmpty()) {
            return "an unknown site";
        }
        String where = site.where();
        int via = where.indexOf(" via ");
        if (via > 0) {
            where = where.substring(0, via);
        }
        int open = where.lastIndexOf('(');
        return open >= 0 && where.endsWith(")") ? where.substring(open + 1, where.length() - 1) : where;
    }

    private static String ordinal(int n) {
        int lastTwo = n % 100;
        String suffix = lastTwo >= 11 && lastTwo <= 13 ? "th" : switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
        return n + suffix;
    }
}
