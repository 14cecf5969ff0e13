package dev.gracefulshutdown.internal.explore;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.internal.capture.Scope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The points one run reaches, in the order they happen, named the same way in every run: tasks and executors by the
 * ids the kit gives them in submission and creation order, threads and hooks by their own count. When the run's
 * target point is reached, it hands the {@code SIGTERM} on and returns at once: the thread that reached it goes on.
 */
final class PointLog implements Scope.PointListener {

    private final String target;
    private final Runnable atTarget;
    private final List<Point> reached = new ArrayList<>();
    private final Map<String, Integer> occurrences = new HashMap<>();
    private int threads;
    private int hooks;
    private Point fired;

    /**
     * @param hooksBefore hooks registered before the method ran: hook numbers count every hook, as replay's orders do
     * @param target the key of the point to deliver the signal after, or {@code null} to only record
     */
    PointLog(int hooksBefore, String target, Runnable atTarget) {
        this.hooks = hooksBefore;
        this.target = target;
        this.atTarget = atTarget;
    }

    @Override
    public synchronized void reached(Scope.PointKind kind, String id, String name, CallSite site) {
        String subject = switch (kind) {
            case THREAD_STARTED -> "thread#" + (++threads);
            case HOOK_REGISTERED -> "hook#" + (++hooks);
            default -> id;
        };
        String base = subject + " " + kind;
        int occurrence = occurrences.merge(base, 1, Integer::sum);
        Point point = Point.of(kind, subject, name, site, occurrence);
        reached.add(point);
        if (fired == null && point.key().equals(target)) {
            fired = point;
            atTarget.run();
        }
    }

    synchronized List<Point> reached() {
        return List.copyOf(reached);
    }

    /** The target point as this run reached it, or {@code null} if it never did. */
    synchronized Point fired() {
        return fired;
    }
}
