package dev.gracefulshutdown;

import java.util.Objects;

/**
 * One way in which the application failed to shut down without losing work.
 *
 * <p>A violation says <em>what</em> went wrong ({@link #kind()} and {@link #subject()}), <em>where</em> the
 * thread, task, executor or hook came from in the code under test ({@link #where()}), the details the kit
 * observed ({@link #details()}) and the usual fix ({@link #hint()}).
 */
public final class Violation {

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

    private final Kind kind;
    private final String subject;
    private final String where;
    private final String details;
    private final String hint;

    public Violation(Kind kind, String subject, String where, String details, String hint) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.where = where == null ? "" : where;
        this.details = details == null ? "" : details;
        this.hint = hint == null ? "" : hint;
    }

    public Kind kind() {
        return kind;
    }

    /** What the violation is about, e.g. {@code thread "report-pool-1"} or {@code task ReportJob}. */
    public String subject() {
        return subject;
    }

    /** Where it comes from in the code under test: a creation, submission or registration site; may be empty. */
    public String where() {
        return where;
    }

    /** What the kit observed, e.g. the thread's state and stack top at the halt; may be empty. */
    public String details() {
        return details;
    }

    /** The usual fix, in one line. */
    public String hint() {
        return hint;
    }

    @Override
    public String toString() {
        return kind + ": " + subject + (where.isEmpty() ? "" : " (" + where + ")");
    }
}
