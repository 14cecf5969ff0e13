package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CallSite;

/** A shutdown hook the application registered (captured, never installed). */
public final class LiveHook {

    final Thread hook;
    final CallSite site;
    volatile long startedNanos;
    volatile long endedNanos;
    volatile Throwable failure;
    volatile boolean calledExit;

    LiveHook(Thread hook, CallSite site) {
        this.hook = hook;
        this.site = site;
    }

    public Thread thread() {
        return hook;
    }

    public CallSite site() {
        return site;
    }

    public boolean calledExit() {
        return calledExit;
    }

    public Throwable failure() {
        return failure;
    }

    public void started() {
        startedNanos = System.nanoTime();
    }

    public void ended() {
        if (endedNanos == 0) {
            endedNanos = System.nanoTime();
        }
    }

    public long startedNanos() {
        return startedNanos;
    }
}
