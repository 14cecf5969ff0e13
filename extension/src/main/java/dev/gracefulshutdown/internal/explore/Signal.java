package dev.gracefulshutdown.internal.explore;

import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.simulate.Simulation;
import java.util.concurrent.CountDownLatch;

/**
 * The simulated JVM's signal handling for one explored run: a thread that waits for the run's point, then runs the
 * {@code SIGTERM} shutdown (hooks, grace period, halt) the way the JVM's own "SIGTERM handler" thread does, while the
 * application's threads carry on. Once the simulated JVM has halted, the test method (the application's {@code main})
 * is interrupted if it still runs, so that a method waiting for work the halt cut off returns.
 */
final class Signal {

    private final CountDownLatch delivered = new CountDownLatch(1);
    private final Object mainLock = new Object();
    private final Thread main;
    private final Thread handler;
    private volatile boolean cancelled;
    private boolean mainRunning = true;
    private boolean mainInterrupted;

    Signal(Simulation simulation, Thread main) {
        this.main = main;
        this.handler = new Thread(() -> handle(simulation), "SIGTERM handler (explored)");
        handler.setDaemon(true);
        simulation.scope().adoptSignalThread(handler);
        Capture.asTheTestJvm(handler::start); // the JVM's thread, not the application's
    }

    /** The point is reached: called on the thread that reached it, which goes on at once. */
    void deliver() {
        delivered.countDown();
    }

    private void handle(Simulation simulation) {
        try {
            delivered.await();
        } catch (InterruptedException e) {
            return;
        }
        if (cancelled) {
            return;
        }
        try {
            simulation.sigterm();
        } catch (IllegalStateException alreadyShuttingDown) {
            // the application called System.exit first, or the method returned: that shutdown stands
        } catch (RuntimeException failed) {
            simulation.scope().captureFailed(failed);
        }
        synchronized (mainLock) {
            if (mainRunning) {
                mainInterrupted = true;
                main.interrupt(); // the JVM halted: main is gone
            }
        }
    }

    /** The test method returned (on {@code main}): it is no longer interrupted, and an interrupt meant for it is cleared. */
    void mainReturned() {
        synchronized (mainLock) {
            mainRunning = false;
            if (mainInterrupted) {
                Thread.interrupted();
            }
        }
    }

    /** The run is over: a signal never delivered is never delivered. */
    void cancel() {
        cancelled = true;
        delivered.countDown();
    }
}
