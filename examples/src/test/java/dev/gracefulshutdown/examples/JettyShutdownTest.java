package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.jetty.ExportServer;
import org.junit.jupiter.api.Test;

/**
 * Jetty 12 ({@link ExportServer}, a {@code QueuedThreadPool} of its own): an export request (1.5 s) is in the handler
 * when {@code SIGTERM} arrives. {@code main} starts the server on an ephemeral port, sends the request itself and
 * returns; Jetty's non-daemon threads keep the application running.
 *
 * <p>Ground truth: {@code java -cp <examples classes>:<jetty 12.1.14 jars> <main class> <args>}, {@code kill -TERM}
 * 0.2 s after "export started", on JDK 17.0.15; each test says what was seen.
 */
class JettyShutdownTest {

    /*
     * Verified in a real JVM: no hook, SIGTERM 0.2 s into the request: the JVM halted 0.35 s later with exit 143,
     * "export written" never printed. Without expect:
     *
     * 1) ABANDONED_TASK: task ... on Jetty's QueuedThreadPool#1 was still running on thread "jetty-exports-..." when
     *    the JVM halted
     *      at the halt: TIMED_WAITING in java.lang.Thread.sleep(...), called from
     *        dev.gracefulshutdown.examples.jetty.ExportServer$ExportHandler.handle(ExportServer.java:...)
     *      fix: stop the server or framework gracefully in the shutdown path and wait for the work in flight ...
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = "--shutdown=none",
            readyOutput = "export started", expect = Violation.Kind.ABANDONED_TASK)
    void withoutAHookTheRequestIsCutOff() {
    }

    /*
     * Verified in a real JVM: a hook calling server.stop() with a stop timeout of 200 ms and no GracefulHandler: the
     * pool's stop interrupted the handler ("export interrupted: java.lang.InterruptedException: sleep interrupted"),
     * server.stop() failed with a TimeoutException, exit 143 0.8 s after SIGTERM. Without expect:
     *
     * 1) INTERRUPTED_TASK: task ... on Jetty's QueuedThreadPool#1 was interrupted while running on thread
     *    "jetty-exports-..."
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = "--shutdown=stop",
            readyOutput = "export started", expect = Violation.Kind.INTERRUPTED_TASK)
    void stopWithAShortStopTimeoutInterruptsTheRequest() {
    }

    /*
     * Verified in a real JVM: the handler wrapped in a GracefulHandler and a stop timeout of 4 s: server.stop()
     * stopped accepting, waited for the request, "export written" printed and the client got its answer, exit 143
     * 1.0 s after SIGTERM.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = "--shutdown=graceful",
            readyOutput = "export started")
    void aGracefulHandlerAndAStopTimeoutLetTheRequestFinish() {
    }
}
