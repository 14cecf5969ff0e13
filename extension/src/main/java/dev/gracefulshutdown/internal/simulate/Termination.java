package dev.gracefulshutdown.internal.simulate;

import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.internal.capture.LiveThread;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.config.Settings;
import dev.gracefulshutdown.internal.text.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * "Will this thread ever end?" — what the JVM's {@code DestroyJavaVM} thread would find out the hard way
 * after {@code main} returns. A thread that provably never ends (an idle core worker of a pool that is never
 * shut down, the thread of a {@code Timer} never cancelled) is reported at once; a thread that will end by
 * itself (a pool worker whose keep-alive expires) is waited for, up to the exit timeout, or reported at once
 * if it can only end after it.
 */
final class Termination {

    /** How long a "never ends" reading must hold before it is believed: a thread just told to stop gets this long. */
    private static final long CONFIRM_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long POLL_MILLIS = 10;

    private final Scope scope;
    private final Settings settings;

    Termination(Scope scope, Settings settings) {
        this.scope = scope;
        this.settings = settings;
    }

    /** What keeps the JVM alive: each thread with the reason; empty when every non-daemon thread ended. */
    Map<Thread, String> awaitNonDaemonThreads() {
        long start = System.nanoTime();
        long deadline = start + settings.exitTimeout().toNanos();
        Map<Thread, Long> neverSince = new HashMap<>();
        while (true) {
            long now = System.nanoTime();
            List<LiveThread> alive = aliveNonDaemon();
            if (alive.isEmpty()) {
                return Map.of();
            }
            Map<Thread, String> blocking = new LinkedHashMap<>();
            boolean allBeyondDeadline = true;
            for (LiveThread thread : alive) {
                Outlook outlook = outlook(thread);
                if (outlook.never) {
                    long since = neverSince.computeIfAbsent(thread.thread(), t -> now);
                    if (now - since >= CONFIRM_NANOS) {
                        blocking.put(thread.thread(), outlook.reason);
                    } else {
                        allBeyondDeadline = false;
                    }
                } else {
                    neverSince.remove(thread.thread());
                    if (outlook.endsAtNanos != null && outlook.endsAtNanos - deadline > 0) {
                        blocking.put(thread.thread(), outlook.reason);
                    } else {
                        allBeyondDeadline = false;
                    }
                }
            }
            if (!blocking.isEmpty() && (allBeyondDeadline || blocking.keySet().stream().anyMatch(neverSince::containsKey))) {
                return blocking;
            }
            if (now - deadline >= 0) {
                Map<Thread, String> timedOut = new LinkedHashMap<>();
                for (LiveThread thread : alive) {
                    timedOut.put(thread.thread(), "still running " + Durations.format(settings.exitTimeout())
                            + " after main returned (the exit timeout)");
                }
                return timedOut;
            }
            join(alive.get(0).thread(), Math.max(1, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(deadline - now))));
        }
    }

    private List<LiveThread> aliveNonDaemon() {
        List<LiveThread> alive = new ArrayList<>();
        for (LiveThread thread : scope.threads()) {
            Thread t = thread.thread();
            if (t.isAlive() && !thread.isDaemon() && thread.role() != CapturedThread.Role.HOOK
                    && !scope.isMainThread(t) && !settings.ignores(t.getName()) && !endsByItself(thread)) {
                alive.add(thread);
            }
        }
        return alive;
    }

    /**
     * A worker of a pool that has terminated, or that is shut down with nothing left to run, is on its way out: it
     * ends by itself within moments, so it never keeps the JVM alive, whatever the exit timeout.
     */
    private boolean endsByItself(LiveThread thread) {
        Object executor = thread.executor() == null ? null : thread.executor().executor();
        if (thread.role() != CapturedThread.Role.POOL_WORKER || !(executor instanceof ExecutorService)) {
            return false;
        }
        ExecutorService pool = (ExecutorService) executor;
        if (pool.isTerminated()) {
            return true;
        }
        if (!pool.isShutdown() || scope.runningTask(thread.thread()) != null) {
            return false;
        }
        if (pool instanceof ThreadPoolExecutor) { // every task it accepted (a worker's first task included) is done
            ThreadPoolExecutor workers = (ThreadPoolExecutor) pool;
            return workers.getQueue().isEmpty() && workers.getActiveCount() == 0
                    && workers.getCompletedTaskCount() == workers.getTaskCount();
        }
        return pool instanceof java.util.concurrent.ForkJoinPool && ((java.util.concurrent.ForkJoinPool) pool).isQuiescent();
    }

    private Outlook outlook(LiveThread thread) {
        Object executor = thread.executor() == null ? null : thread.executor().executor();
        if (thread.role() == CapturedThread.Role.POOL_WORKER && executor instanceof ThreadPoolExecutor) {
            ThreadPoolExecutor pool = (ThreadPoolExecutor) executor;
            if (pool.isShutdown()) {
                return Outlook.UNKNOWN; // it ends once the queue is drained
            }
            if (!pool.allowsCoreThreadTimeOut() && pool.getCorePoolSize() > 0) {
                return Outlook.never("it is a worker of a pool that is never shut down, and a pool's core threads "
                        + "wait for work forever");
            }
            if (scope.runningTask(thread.thread()) == null && pool.getQueue().isEmpty()) {
                long keepAlive = pool.getKeepAliveTime(TimeUnit.NANOSECONDS);
                return new Outlook(false, thread.idleSinceNanos() + keepAlive,
                        "it is an idle worker of a pool that is never shut down; it ends only when its keep-alive of "
                        + Durations.format(Duration.ofNanos(keepAlive)) + " expires, after the exit timeout of "
                        + Durations.format(settings.exitTimeout()));
            }
            return Outlook.UNKNOWN;
        }
        Thread t = thread.thread();
        Thread.State state = t.getState();
        if (t.getClass().getName().equals("java.util.TimerThread")
                && (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING)) {
            return Outlook.never("it is the thread of a java.util.Timer that is never cancelled: it waits for timer "
                    + "tasks forever");
        }
        return Outlook.UNKNOWN;
    }


    private static void join(Thread thread, long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while simulating the JVM's wait for non-daemon threads", e);
        }
    }

    private static final class Outlook {
        static final Outlook UNKNOWN = new Outlook(false, null, null);
        final boolean never;
        final Long endsAtNanos;
        final String reason;

        Outlook(boolean never, Long endsAtNanos, String reason) {
            this.never = never;
            this.endsAtNanos = endsAtNanos;
            this.reason = reason;
        }

        static Outlook never(String reason) {
            return new Outlook(true, null, reason);
        }
    }
}
