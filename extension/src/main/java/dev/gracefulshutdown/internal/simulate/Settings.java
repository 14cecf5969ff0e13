package dev.gracefulshutdown.internal.simulate;

import dev.gracefulshutdown.ShutdownTrigger;
import dev.gracefulshutdown.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The resolved configuration of one test's shutdown.
 *
 * @param trigger what starts the shutdown when the test method returns
 * @param gracePeriod how long hooks may run before the process would be killed
 * @param exitTimeout how long the JVM may wait for non-daemon threads after {@code main} returns
 * @param expect the violation kinds a regression test expects (empty: a clean shutdown)
 * @param ignoredThreads thread-name patterns never reported
 * @param fork whether the test runs in a forked JVM that really shuts down
 * @param application the application to start from its main class before the test method, or {@code null}
 */
public record Settings(ShutdownTrigger trigger, Duration gracePeriod, Duration exitTimeout, Set<Violation.Kind> expect,
        List<Pattern> ignoredThreads, boolean fork, Application application) {

    /** Threads of the JDK and of tools, never blamed on the application (a last resort: the kit also knows who created a thread). */
    public static final List<String> DEFAULT_IGNORED_THREADS = List.of(
            "junit-jupiter-timeout-watcher", "junit-timeout-thread-\\d+", "surefire-forkedjvm-.*",
            "awaitility.*", "process reaper.*", "Attach Listener", "Common-Cleaner", "Signal Dispatcher",
            "ForkJoinPool\\.commonPool-worker-\\d+", "HttpClient-\\d+-SelectorManager", "Reference Handler",
            "Finalizer", "Notification Thread", "JNA Cleaner", "DestroyJavaVM");

    /** {@link #DEFAULT_IGNORED_THREADS} compiled once: a {@link Pattern} is immutable, and every test starts with these. */
    public static final List<Pattern> DEFAULT_IGNORED_PATTERNS = DEFAULT_IGNORED_THREADS.stream().map(Pattern::compile).toList();

    /**
     * An application started from its main class.
     *
     * @param mainClass the class whose {@code main} runs
     * @param args its arguments
     * @param readyOutput text it writes once ready; empty: do not wait
     * @param readyTimeout how long to wait for it
     */
    public record Application(Class<?> mainClass, List<String> args, String readyOutput, Duration readyTimeout) {
        public Application {
            args = List.copyOf(args);
        }
    }

    public Settings {
        expect = Set.copyOf(expect);
        ignoredThreads = List.copyOf(ignoredThreads);
    }

    /** The same settings without an application (the in-process tests' own constructor). */
    public Settings(ShutdownTrigger trigger, Duration gracePeriod, Duration exitTimeout, Set<Violation.Kind> expect,
            List<Pattern> ignoredThreads, boolean fork) {
        this(trigger, gracePeriod, exitTimeout, expect, ignoredThreads, fork, null);
    }

    /** The settings of a container check: this trigger and these bounds, the default ignored threads and these. */
    public static Settings forContainer(ShutdownTrigger trigger, Duration gracePeriod, Duration exitTimeout,
            List<Pattern> alsoIgnored) {
        List<Pattern> ignored = new java.util.ArrayList<>();
        ignored.addAll(DEFAULT_IGNORED_PATTERNS);
        ignored.addAll(alsoIgnored);
        return new Settings(trigger, gracePeriod, exitTimeout, Set.of(), ignored, false, null);
    }

    public boolean ignores(String threadName) {
        return ignoredThreads.stream().anyMatch(p -> p.matcher(threadName).matches());
    }
}
