package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.undertow.ExportServer;
import org.junit.jupiter.api.Test;

/**
 * Undertow 2.3 ({@link ExportServer}, a blocking handler on XNIO's worker pool, JBoss Threads'
 * {@code EnhancedQueueExecutor}): an export request (1.5 s) is in the handler when {@code SIGTERM} arrives.
 * {@code main} starts the server on an ephemeral port, sends the request itself and returns; XNIO's non-daemon
 * threads keep the application running.
 *
 * <p>Ground truth: {@code java -cp <examples classes>:<undertow 2.3.21 jars> <main class> <args>}, {@code kill -TERM}
 * 0.2 s after "export started", on JDK 17.0.15; each test says what was seen.
 */
class UndertowShutdownTest {

    /*
     * Verified in a real JVM: no hook, SIGTERM 0.2 s into the request: the JVM halted 0.34 s later with exit 143,
     * "export written" never printed. Without expect:
     *
     * 1) ABANDONED_TASK: task lambda in dev.gracefulshutdown.examples.undertow.ExportServer, inside
     *    io.undertow.server.HttpServerExchange$1 (task#...) on JBoss Threads' EnhancedQueueExecutor#1 was still running
     *    on thread "XNIO-1 task-..." when the JVM halted
     *      at the halt: TIMED_WAITING in java.lang.Thread.sleep(...), called from
     *        dev.gracefulshutdown.examples.undertow.ExportServer.export(ExportServer.java:...)
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = "--shutdown=none",
            readyOutput = "export started", expect = Violation.Kind.ABANDONED_TASK)
    void withoutAHookTheRequestIsCutOff() {
    }

    /*
     * Verified in a real JVM: a hook calling server.stop() with a SHUTDOWN_TIMEOUT of 200 ms: Undertow shut its worker
     * pool down, waited 200 ms, then shut it down now, which interrupted the handler ("export interrupted:
     * java.lang.InterruptedException: sleep interrupted"), exit 143 0.23 s after SIGTERM. Without expect:
     *
     * 1) INTERRUPTED_TASK: task ... on JBoss Threads' EnhancedQueueExecutor#1 was interrupted while running on thread
     *    "XNIO-1 task-..."
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = "--shutdown=stop",
            readyOutput = "export started", expect = Violation.Kind.INTERRUPTED_TASK)
    void stopWithAShortShutdownTimeoutInterruptsTheRequest() {
    }

    /*
     * Verified in a real JVM: the handler wrapped in a GracefulShutdownHandler, the hook calling shutdown(),
     * awaitShutdown(4000), then server.stop(): the request finished, "export written" printed and the client got its
     * answer, exit 143 1.3 s after SIGTERM.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = "--shutdown=graceful",
            readyOutput = "export started")
    void aGracefulShutdownHandlerLetsTheRequestFinish() {
    }
}
