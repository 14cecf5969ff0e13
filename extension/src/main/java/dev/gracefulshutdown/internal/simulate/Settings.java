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
 */
public record Settings(ShutdownTrigger trigger, Duration gracePeriod, Duration exitTimeout, Set<Violation.Kind> expect,
        List<Pattern> ignoredThreads, boolean fork) {

    public Settings {
        expect = Set.copyOf(expect);
        ignoredThreads = List.copyOf(ignoredThreads);
    }

    public boolean ignores(String threadName) {
        return ignoredThreads.stream().anyMatch(p -> p.matcher(threadName).matches());
    }
}
