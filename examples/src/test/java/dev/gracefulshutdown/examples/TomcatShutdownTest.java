package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.tomcat.ExportServer;
import org.junit.jupiter.api.Test;

/**
 * Embedded Tomcat 11 ({@link ExportServer}): a {@code POST /exports} request is inside the servlet when
 * {@code SIGTERM} arrives. {@code main} starts Tomcat on an ephemeral port, sends the request itself and serves in
 * {@code tomcat.getServer().await()}; the kit triggers {@code SIGTERM} once the servlet printed "export started".
 *
 * <p>What {@code tomcat.stop()} really does (Tomcat 11.0.27, seen in a real JVM): {@code StandardService.stop} pauses
 * the connector, stops the engine, whose {@code StandardWrapper.unload} waits up to {@code unloadDelay} (2 s) for
 * requests inside the servlet, then stops the connector: {@code AbstractEndpoint.shutdownExecutor} calls
 * {@code shutdownNow()} on Tomcat's own {@code org.apache.tomcat.util.threads.ThreadPoolExecutor} (not the JDK's),
 * which interrupts the request thread, and awaits it ({@code executorTerminationTimeoutMillis}, 5 s). So a request
 * shorter than about 2 s survives {@code tomcat.stop()}, a longer one is interrupted.
 *
 * <p>Ground truth: {@code java -cp examples/target/classes:<runtime class path> <main class> <args>}, {@code kill -TERM}
 * once the ready line appeared, on JDK 25.0.3 and on JDK 17.0.15 with the same result; each test says what was seen.
 */
class TomcatShutdownTest {

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into a 1.5 s request, no hook: "export written" never printed, the client
     * got no answer, exit 143 at once (0.3 s). The main thread was still in StandardServer.await() at the halt.
     *
     * Without expect (the kit's message, verbatim but for line numbers):
     *
     * 1) ABANDONED_TASK: task org.apache.tomcat.util.net.NioEndpoint$SocketProcessor (task#7) on Tomcat's
     *    ThreadPoolExecutor#2 was still running on thread "http-nio-auto-1-exec-1" when the JVM halted
     *      submitted at org.apache.tomcat.util.net.AbstractEndpoint.processSocket(AbstractEndpoint.java:2126)
     *      at the halt: TIMED_WAITING in java.lang.Thread.sleep(Native Method), called from
     *        dev.gracefulshutdown.examples.tomcat.ExportServer$ExportServlet.doPost(ExportServer.java:114)
     *      fix: stop the server or framework gracefully in the shutdown path and wait for the work in flight within
     *        the grace period (Tomcat/Spring Boot: server.shutdown=graceful; ...)
     *
     * The main thread, parked in StandardServer.await(), loses nothing at the halt and is not blamed.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = {"--shutdown=none", "--export-millis=1500"},
            readyOutput = "export started", expect = Violation.Kind.ABANDONED_TASK)
    void withoutAHookTheRequestIsCutOff() {
    }   // SIGTERM: no hook, the JVM halts at once and the request dies in the servlet

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into a 3.5 s request, a hook calling tomcat.stop(): after the 2 s
     * unloadDelay the servlet caught "java.lang.InterruptedException: sleep interrupted" (shutdownNow() from
     * AbstractEndpoint.shutdownExecutor, called by the hook's Tomcat.stop()), "export written" never printed,
     * exit 143 2.5 s after SIGTERM.
     *
     * Without expect:
     *
     * 1) INTERRUPTED_TASK: task org.apache.tomcat.util.net.NioEndpoint$SocketProcessor (task#7) on Tomcat's
     *    ThreadPoolExecutor#2 was interrupted while running on thread "http-nio-auto-1-exec-1"
     *      submitted at org.apache.tomcat.util.net.AbstractEndpoint.processSocket(AbstractEndpoint.java:2126)
     *      interrupted by shutdownNow() at dev.gracefulshutdown.examples.tomcat.ExportServer.stop(ExportServer.java:69)
     *        via org.apache.tomcat.util.threads.ThreadPoolExecutor.shutdownNow(ThreadPoolExecutor.java:1205)
     *      fix: let the work in flight finish before stopping what runs it: stop taking new work, wait for the
     *        running work within the grace period, and interrupt only what is still running after that ...
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = {"--shutdown=stop", "--export-millis=3500"},
            readyOutput = "export started", expect = Violation.Kind.INTERRUPTED_TASK)
    void tomcatStopInterruptsARequestLongerThanTheUnloadDelay() {
    }   // SIGTERM: tomcat.stop() waits 2 s for the servlet, then interrupts it

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into a 1.5 s request, a hook calling tomcat.stop(): "export written"
     * printed, the client got 200, exit 143 1.36 s after SIGTERM. A surprise: plain tomcat.stop() is graceful for
     * requests that end within StandardWrapper's unloadDelay (2 s).
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = {"--shutdown=stop", "--export-millis=1500"},
            readyOutput = "export started")
    void tomcatStopWaitsForAShortRequest() {
    }

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into a 3.5 s request, a hook that pauses the connector, waits until no
     * request is inside a servlet (StandardWrapper.getCountAllocated(), StandardContext.getInProgressAsyncCount(), as
     * Spring Boot's Tomcat graceful shutdown does; at most 4 s), then calls tomcat.stop(): "export written" printed,
     * the client got 200, exit 143 3.35 s after SIGTERM.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = {"--shutdown=graceful", "--export-millis=3500"},
            readyOutput = "export started")
    void pausingTheConnectorAndAwaitingTheRequestsLetsItFinish() {
    }
}
