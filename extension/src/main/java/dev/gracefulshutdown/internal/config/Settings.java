package dev.gracefulshutdown.internal.config;

import dev.gracefulshutdown.ShutdownTrigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a shutdown is run and judged with, wherever the application runs (simulated in the test JVM, a forked
 * JVM, a container): only what the simulation, the judge and the orchestrators need. The JUnit-only settings of a
 * test ({@code expect}, {@code fork}, {@code mainClass}) stay with the JUnit glue.
 *
 * @param trigger what starts the shutdown when nothing else did (the test method returned, {@code docker stop})
 * @param gracePeriod how long hooks may run before the process would be killed
 * @param exitTimeout how long the JVM may wait for non-daemon threads after {@code main} returns
 * @param ignoredThreads thread-name patterns never reported
 */
public record Settings(ShutdownTrigger trigger, Duration gracePeriod, Duration exitTimeout, List<Pattern> ignoredThreads) {

    /** Threads of the JDK and of tools, never blamed on the application (a last resort: the kit also knows who created a thread). */
    public static final List<String> DEFAULT_IGNORED_THREADS = List.of(
            "junit-jupiter-timeout-watcher", "junit-timeout-thread-\\d+", "surefire-forkedjvm-.*",
            "awaitility.*", "process reaper.*", "Attach Listener", "Common-Cleaner", "Signal Dispatcher",
            "ForkJoinPool\\.commonPool-worker-\\d+", "HttpClient-\\d+-SelectorManager", "Reference Handler",
            "Finalizer", "Notification Thread", "JNA Cleaner", "DestroyJavaVM");

    /** {@link #DEFAULT_IGNORED_THREADS} compiled once: a {@link Pattern} is immutable, and every test starts with these. */
    public static final List<Pattern> DEFAULT_IGNORED_PATTERNS = DEFAULT_IGNORED_THREADS.stream().map(Pattern::compile).toList();

    public Settings {
        ignoredThreads = List.copyOf(ignoredThreads);
    }

    /** The settings of a container check: this trigger and these bounds, the default ignored threads and these. */
    public static Settings forContainer(ShutdownTrigger trigger, Duration gracePeriod, Duration exitTimeout,
            List<Pattern> alsoIgnored) {
        List<Pattern> ignored = new ArrayList<>(DEFAULT_IGNORED_PATTERNS);
        ignored.addAll(alsoIgnored);
        return new Settings(trigger, gracePeriod, exitTimeout, ignored);
    }

    public boolean ignores(String threadName) {
        return ignoredThreads.stream().anyMatch(p -> p.matcher(threadName).matches());
    }
}
