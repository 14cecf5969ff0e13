package dev.gracefulshutdown;

import dev.gracefulshutdown.internal.text.Durations;
import java.time.Duration;

/**
 * An executor created by the application during the test.
 *
 * @param id a short name for messages, e.g. {@code ThreadPoolExecutor#1}
 * @param type the executor's class name
 * @param creationSite where it was created
 * @param corePoolSize core pool size ({@code ThreadPoolExecutor}) or parallelism ({@code ForkJoinPool})
 * @param maximumPoolSize maximum pool size, or parallelism
 * @param keepAlive how long an idle thread above the core size (or any, see below) waits before it ends
 * @param allowsCoreThreadTimeOut whether core threads end after the keep-alive too
 * @param shutdown how the application shut it down
 * @param shutdownSite where it was shut down, or {@code null} if it never was
 * @param terminated whether it had terminated at the halt
 * @param library the server or framework whose own pool it is ({@code "Tomcat"}, {@code "Netty"}...), or
 *     {@code null} for the JDK's executors and everything built on them
 */
public record CapturedExecutor(String id, String type, CallSite creationSite, int corePoolSize, int maximumPoolSize,
        Duration keepAlive, boolean allowsCoreThreadTimeOut, ShutdownState shutdown, CallSite shutdownSite,
        boolean terminated, String library) {

    /** How the application shut an executor down. */
    public enum ShutdownState {
        /** Never shut down. */
        RUNNING,
        /** {@code shutdown()}: running and queued tasks go on, new ones are rejected. */
        SHUTDOWN,
        /** {@code shutdownNow()}: running tasks are interrupted, queued ones are returned unrun. */
        SHUTDOWN_NOW
    }

    /** A one-line description of the configuration, e.g. {@code ThreadPoolExecutor[core=4, max=4, keepAlive=0 s]}. */
    public String describe() {
        String simpleType = type.substring(type.lastIndexOf('.') + 1);
        return simpleType + "[core=" + corePoolSize + ", max=" + (maximumPoolSize == Integer.MAX_VALUE ? "unbounded" : maximumPoolSize)
                + ", keepAlive=" + Durations.format(keepAlive) + (allowsCoreThreadTimeOut ? ", allowCoreThreadTimeOut" : "") + "]";
    }
}
