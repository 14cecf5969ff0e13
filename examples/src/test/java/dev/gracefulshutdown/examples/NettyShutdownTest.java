package dev.gracefulshutdown.examples;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.Violation;
import dev.gracefulshutdown.examples.netty.ExportServer;
import dev.gracefulshutdown.examples.netty.WriteBehindCache;
import org.junit.jupiter.api.Test;

/**
 * Netty 4.2 ({@link ExportServer}): an HTTP handler writes an export (1.5 s) on a {@code DefaultEventExecutorGroup}
 * when {@code SIGTERM} arrives. {@code main} binds an ephemeral port, sends the request itself and returns; Netty's
 * non-daemon event loop threads keep the application running.
 *
 * <p>Ground truth: {@code java -cp examples/target/classes:<runtime class path> <main class> <args>}, {@code kill -TERM}
 * once the ready line appeared, on JDK 25.0.3 and on JDK 17.0.15 with the same result; each test says what was seen.
 */
class NettyShutdownTest {

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into the export, a hook calling shutdownGracefully() on the three groups
     * without waiting for the returned futures: the hook returned at once, the JVM halted 0.04 s after SIGTERM with
     * exit 143, "export written" never printed, the handler saw no interrupt (shutdownGracefully never interrupts).
     *
     * Without expect (verbatim but for line numbers):
     *
     * 1) ABANDONED_TASK: task lambda in io.netty.channel.AbstractChannelHandlerContext (task#11) on Netty's
     *    DefaultEventExecutor#3 was still running on thread "defaultEventExecutorGroup-4-1" when the JVM halted
     *      submitted at io.netty.channel.AbstractChannelHandlerContext.fireChannelRead(AbstractChannelHandlerContext.java:366)
     *      at the halt: TIMED_WAITING in java.lang.Thread.sleep(Native Method), called from
     *        dev.gracefulshutdown.examples.netty.ExportServer$ExportHandler.channelRead0(ExportServer.java:110)
     *      fix: stop the server or framework gracefully in the shutdown path and wait for the work in flight within
     *        the grace period (... Netty: shutdownGracefully(...).await(); ...)
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = "--shutdown=fire-and-forget",
            readyOutput = "export started", expect = Violation.Kind.ABANDONED_TASK)
    void shutdownGracefullyWithoutWaitingCutsTheHandlerOff() {
    }   // SIGTERM: the hook returns at once, the JVM halts, the handler dies mid-export

    /*
     * Verified in a real JVM: SIGTERM 0.2 s into the export, a hook calling shutdownGracefully(100 ms, 4 s) on each
     * group and syncUninterruptibly() on each future: "export written" printed, the client got 200, exit 143
     * 1.6 s after SIGTERM. At the halt one Netty thread is still alive: "globalEventExecutor-1-N", non-daemon, started
     * by the exports group as it terminated (GlobalEventExecutor runs the groups' termination notifications); it is idle
     * and would end by itself after its 1 s quiet period, so no work is lost. (The kit at 5133a19, forked, reports it
     * as LINGERING_THREAD; in-process it reports nothing.)
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = ExportServer.class, args = "--shutdown=await",
            readyOutput = "export started")
    void awaitingShutdownGracefullyLetsTheHandlerFinish() {
    }

    /*
     * A write-behind cache on Netty's HashedWheelTimer ({@link WriteBehindCache}). Verified in a real JVM: SIGTERM 0.2 s
     * after the put was acknowledged, a hook calling timer.stop() and ignoring what it returns: the hook returned at
     * once, exit 143, "written order-17" never printed (stop() cancelled the write still waiting for its 2 s).
     *
     * Without expect (verbatim but for line numbers):
     *
     * 1) DROPPED_TASK: task lambda in dev.gracefulshutdown.examples.netty.WriteBehindCache (task#1) on Netty's
     *    HashedWheelTimer#1 was thrown away by stop() of Netty's HashedWheelTimer#1 (it cancels the timeouts still
     *    waiting and hands them back): it never ran, and nothing was told
     *      submitted at dev.gracefulshutdown.examples.netty.WriteBehindCache.put(WriteBehindCache.java:56)
     *      executor shut down at dev.gracefulshutdown.examples.netty.WriteBehindCache.lambda$main$0(WriteBehindCache.java:33)
     *        via io.netty.util.HashedWheelTimer.stop(HashedWheelTimer.java:380)
     *      fix: a Netty HashedWheelTimer cannot be drained: stop() interrupts the timeout it runs and cancels every
     *        timeout still waiting (it hands them back), and at the halt its thread dies with them; in the shutdown
     *        path, wait (within the grace period) for the timeouts whose work must still run, or run or persist that
     *        work, and only then stop() the timer
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = WriteBehindCache.class, args = "--shutdown=stop-timer",
            readyOutput = "put acknowledged", expect = Violation.Kind.DROPPED_TASK)
    void stoppingTheTimerDropsTheWritesStillWaiting() {
    }

    /*
     * Verified in a real JVM: the same, with a hook that runs the task of each timeout stop() hands back:
     * "written order-17=shipped" printed in the hook, exit 143.
     */
    @Test
    @GracefulShutdownTest(gracePeriod = "5s", mainClass = WriteBehindCache.class, args = "--shutdown=write-handed-back",
            readyOutput = "put acknowledged")
    void theHookWritesWhatTheTimerHandsBack() {
    }
}
