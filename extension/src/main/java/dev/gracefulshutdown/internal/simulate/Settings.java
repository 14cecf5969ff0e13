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

    public boolean ignores(String threadName) {
        return ignoredThreads.stream().anyMatch(p -> p.matcher(threadName).matches());
    }
}
