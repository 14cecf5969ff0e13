package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedThread;

/** A thread the application started, while the test runs. */
public final class LiveThread {

    final Thread thread;
    final Scope scope;
    final CapturedThread.Role role;
    final LiveExecutor executor;
    final String createdBy;
    final CallSite site;
    final boolean daemon;
    volatile long idleSinceNanos = System.nanoTime();
    /** When it was started ({@code Thread.start}); when it ended ({@code Thread.exit}), 0 until then. */
    final long startedNanos = idleSinceNanos;
    volatile long endedNanos;
    /** Where the shutdown interrupted it while it did the user's work. */
    volatile CallSite interruptSite;
    /** An exception the user's code on this thread caught during the shutdown, outside any task the kit tracks. */
    volatile Throwable caughtFailure;
    volatile String caughtAt;
    /**
     * The JDK HttpClient's exchange whose future this thread completes, running the stages the application chained
     * on it (a {@code CompletableFuture}'s async step on a thread of its own, started by the client), if known.
     */
    volatile LiveTask completesExchange;
    /** The exception it died with, uncaught, and whether that was during the shutdown. */
    volatile Throwable diedWith;
    volatile boolean diedDuringShutdown;
    /** The exception the thread died of, if it died of one. */
    volatile Throwable uncaught;

    LiveThread(Thread thread, Scope scope, CapturedThread.Role role, LiveExecutor executor, String createdBy,
            CallSite site, boolean daemon) {
        this.daemon = daemon;
        this.thread = thread;
        this.scope = scope;
        this.role = role;
        this.executor = executor;
        this.createdBy = createdBy;
        this.site = site;
    }

    /**
     * Whether a library started it (its start's innermost frame outside the JDK is a library's: an event loop) and it is
     * waiting for work, not in the user's code: an interrupt would stay with a thread that does not consume it (a Netty
     * loop in {@code epoll_wait}) and reach the code of a later test that runs on it (Reactor Netty's global loops).
     */
    public boolean isALibrarysWaitingForWork() {
        return site != null && CallSites.innermostIsLibrary(site) && !StackFrames.runsUsersCode(thread);
    }

    public Thread thread() {
        return thread;
    }

    public CapturedThread.Role role() {
        return role;
    }

    /** The executor this thread works for, or {@code null}. */
    public LiveExecutor executor() {
        return executor;
    }

    /** Since when a pool worker has been waiting for work (meaningful only while it runs no task). */
    public long idleSinceNanos() {
        return idleSinceNanos;
    }

    /**
     * Whether the thread is a daemon in the application. A thread that did not choose inherits the flag of
     * its creator; a thread created by the test thread, which plays {@code main}, is a non-daemon thread in
     * the application even where the test runs on a daemon thread (JUnit's parallel workers are).
     */
    public boolean isDaemon() {
        return daemon;
    }

    /** The exception this thread died of (its uncaught exception), or {@code null}. */
    public Throwable uncaughtException() {
        return uncaught;
    }

    /** Where the thread was started, trimmed to the application's frames. */
    public CallSite site() {
        return site;
    }

    public boolean isVirtual() {
        return Threads.isVirtual(thread);
    }
}
