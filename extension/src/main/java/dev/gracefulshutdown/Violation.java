package dev.gracefulshutdown;

import java.util.Optional;

/**
 * One way in which the application failed to shut down without losing work.
 *
 * <p>A violation says <em>what</em> went wrong ({@link #kind()} and {@link #subject()}), <em>where</em> the
 * thread, task, executor or hook came from in the code under test ({@link #where()}), the details the kit
 * observed ({@link #details()}) and the usual fix ({@link #hint()}).
 *
 * <p>The same, as data to assert on without matching text: what it is about ({@link #thread()}, {@link #task()},
 * {@link #executor()}, {@link #hook()}, each as the report's inventory records it) and where that came from
 * ({@link #site()}, whose {@link CallSite#where()} the text shows):
 *
 * <pre>{@code
 * assertThat(report).hasViolationSatisfying(Violation.Kind.DROPPED_TASK, dropped -> {
 *     assertThat(dropped.task()).hasValueSatisfying(task -> assertThat(task.description()).isEqualTo("ReportJob"));
 *     assertThat(dropped.site()).hasValueSatisfying(site -> assertThat(site.frames().get(0).getMethodName()).isEqualTo("submit"));
 * });
 * }</pre>
 *
 * <p>Violations are immutable; users receive them in a {@link ShutdownReport} and never build one.
 */
public interface Violation {

    /** The kinds of violation. These names are part of the public contract. */
    public enum Kind {
        /**
         * A non-daemon thread of the application is still running: after {@code main} returns the JVM would
         * never exit (or only after the exit timeout); at a halt it is killed mid-work.
         */
        LINGERING_THREAD("a non-daemon thread is still running"),
        /** A running task was interrupted by the shutdown, typically by {@code shutdownNow()}. */
        INTERRUPTED_TASK("a running task was interrupted by the shutdown"),
        /** A task was still running when the JVM halted: it died mid-way, without its {@code finally} blocks. */
        ABANDONED_TASK("a task was still running at the halt"),
        /** A task was accepted by an executor but never started. */
        DROPPED_TASK("a task was accepted but never started"),
        /** A task failed with an exception during the shutdown, e.g. because a resource was closed under it. */
        FAILED_TASK("a task failed during the shutdown"),
        /** A submission was refused because the executor was already shut down. */
        REJECTED_TASK("a task was rejected because its executor was shut down"),
        /** The shutdown hooks outran the grace period: the process would have been killed with {@code SIGKILL}. */
        HOOK_TIMEOUT("the shutdown hooks outran the grace period"),
        /** A shutdown hook threw an exception. */
        HOOK_FAILED("a shutdown hook threw an exception"),
        /** A shutdown hook called {@code System.exit}: a real JVM deadlocks there. */
        EXIT_IN_HOOK("a shutdown hook called System.exit"),
        /**
         * Container checks only: on {@code docker stop} the JVM never began its shutdown, so no hook and nothing
         * else of its shutdown path ran. Either {@code SIGTERM} never reached it (a shell as the container's main
         * process, PID 1, passes no signal on) or something in the JVM took the signal without exiting. Docker
         * then killed it when the grace period ended.
         */
        SHUTDOWN_NEVER_STARTED("the JVM never began its shutdown on SIGTERM"),
        /**
         * HTTP traffic ({@code HttpTraffic}): a request the server had accepted was never answered: its connection was
         * reset or closed before the response, the server answered it with a 5xx during the shutdown, or the JVM halted
         * while it was still running. The client's work is lost.
         */
        REQUEST_CUT_OFF("an HTTP request the server had accepted was cut off by the shutdown"),
        /**
         * HTTP traffic ({@code HttpTraffic}): a request that arrived while the load balancer still routed to the
         * application (the propagation window after the trigger) was refused: connection refused, reset before an
         * answer, a 5xx, or no server at all because the JVM had already exited.
         */
        REQUEST_REFUSED("an HTTP request arriving during the propagation window was refused");

        private final String meaning;

        Kind(String meaning) {
            this.meaning = meaning;
        }

        /** One line saying what this kind means, in a user's words. */
        public String meaning() {
            return meaning;
        }
    }

    Kind kind();

    /** What the violation is about, e.g. {@code thread "report-pool-1"} or {@code task ReportJob}. */
    String subject();

    /** Where it comes from in the code under test: a creation, submission or registration site; may be empty. */
    String where();

    /** What the kit observed, e.g. the thread's state and stack top at the halt; may be empty. */
    String details();

    /** The usual fix, in one line. */
    String hint();

    /**
     * The thread it is about: the lingering thread (the first of its pool), the thread whose work was lost, the
     * thread a lost task ran on, the thread of a hook that outran the grace period; empty when no thread was
     * recorded (a task that never started, a container seen only from outside).
     */
    Optional<CapturedThread> thread();

    /** The task it is about: interrupted, abandoned, dropped, failed or rejected; empty for a thread or a hook. */
    Optional<CapturedTask> task();

    /**
     * The executor (pool) it is about: a lingering thread's pool, or the pool a task was submitted to; empty when
     * the kit did not record one (a bare thread, {@code CompletableFuture.delayedExecutor}, whose name
     * {@link CapturedTask#executor()} still gives).
     */
    Optional<CapturedExecutor> executor();

    /** The shutdown hook it is about ({@code HOOK_TIMEOUT}, {@code HOOK_FAILED}, {@code EXIT_IN_HOOK}). */
    Optional<CapturedHook> hook();

    /**
     * Where it comes from in the code under test, as stack frames: a pool's or a thread's creation, a task's
     * submission, a hook's registration ({@link #where()} is its text); empty when the kit could not see one.
     */
    Optional<CallSite> site();
}
