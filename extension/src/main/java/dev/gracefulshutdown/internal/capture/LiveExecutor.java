package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedExecutor;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** An executor the application created, while the test runs. */
public final class LiveExecutor {

    final Object executor;
    final Scope scope;
    final String id;
    final CallSite site;
    volatile CapturedExecutor.ShutdownState shutdown = CapturedExecutor.ShutdownState.RUNNING;
    volatile CallSite shutdownSite;

    LiveExecutor(Object executor, Scope scope, String id, CallSite site) {
        this.executor = executor;
        this.scope = scope;
        this.id = id;
        this.site = site;
    }

    public Object executor() {
        return executor;
    }

    public String id() {
        return id;
    }

    /**
     * Whether a library created it for itself (its creation site's innermost frame is the library's, past the
     * constructors of the executor's own class: a library's pool made by the user's {@code new} is the user's): it may
     * be the library's global singleton (Reactor's {@code Schedulers.parallel()}), which later tests use too.
     */
    public boolean createdByLibrary() {
        java.util.List<StackTraceElement> frames = site.frames();
        int first = 0;
        while (first < frames.size() && frames.get(first).getMethodName().equals("<init>")
                && isOwnClass(frames.get(first).getClassName())) {
            first++;
        }
        return CallSites.innermostIsLibrary(new CallSite(frames.subList(first, frames.size())));
    }

    private boolean isOwnClass(String className) {
        for (Class<?> type = executor.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    public CapturedExecutor snapshot() {
        int core = 0;
        int max = 0;
        Duration keepAlive = Duration.ZERO;
        boolean coreTimeOut = false;
        if (executor instanceof ThreadPoolExecutor) {
            ThreadPoolExecutor pool = (ThreadPoolExecutor) executor;
            core = pool.getCorePoolSize();
            max = pool.getMaximumPoolSize();
            keepAlive = Duration.ofNanos(pool.getKeepAliveTime(TimeUnit.NANOSECONDS));
            coreTimeOut = pool.allowsCoreThreadTimeOut();
        } else if (executor instanceof ForkJoinPool) {
            core = ((ForkJoinPool) executor).getParallelism();
            max = core;
            keepAlive = Duration.ofSeconds(60);
            coreTimeOut = true;
        }
        boolean terminated = executor instanceof ExecutorService && ((ExecutorService) executor).isTerminated();
        return new CapturedExecutor(id, executor.getClass().getName(), site, core, max, keepAlive, coreTimeOut,
                shutdown, shutdownSite, terminated, PoolAdapter.libraryOf(executor));
    }
}
