package com.acmevendor.rpc;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Stands for an RPC server's JVM-wide machinery, as gRPC's shared executor and event loops are: made by the first
 * server of the JVM (so by an earlier test for every later one), an event loop that reads calls off the wire (a queue
 * here) and hands each to a cached pool of daemon workers, where the application's handler runs. Like Netty's, the
 * loop does not stop when interrupted.
 */
public final class CallDispatcher {

    private static CallDispatcher shared;

    private final BlockingQueue<Runnable> wire = new LinkedBlockingQueue<>();
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), runnable -> {
                Thread thread = new Thread(runnable, "acme-rpc-worker");
                thread.setDaemon(true);
                return thread;
            });

    private CallDispatcher() {
        Thread loop = new Thread(() -> {
            while (true) {
                try {
                    workers.execute(wire.take());
                } catch (InterruptedException e) {
                    // an event loop stops when its server says so, not when interrupted (Netty's)
                }
            }
        }, "acme-rpc-event-loop");
        loop.setDaemon(true);
        loop.start();
    }

    /** The JVM's dispatcher, made on first use. */
    public static synchronized CallDispatcher shared() {
        if (shared == null) {
            shared = new CallDispatcher();
        }
        return shared;
    }

    /** A call arrives: its handler runs on a worker, handed over by the event loop. */
    public void receive(Runnable handler) {
        wire.add(handler);
    }

    /** Whether no worker is running a handler now. */
    public boolean idle() {
        return workers.getActiveCount() == 0;
    }
}
