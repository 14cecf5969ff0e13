package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CapturedThread.Activity;
import dev.gracefulshutdown.internal.libraries.KnownLibraries;
import java.util.List;

/**
 * Reads from a thread's stack whether it is doing the user's work or waiting for work, for any executor, even
 * one the kit has no adapter for (a server's request threads, an event loop, a hand-written pool of raw
 * threads):
 *
 * <ul>
 *   <li>no frame of the user's code on the stack: the JDK's or a library's own loop, {@link Activity#IDLE};</li>
 *   <li>the user's code called into the JDK or a library that waits for work (a queue's {@code take}, a
 *       selector, {@code accept}): {@link Activity#IDLE};</li>
 *   <li>the thread's outermost user code (nothing of a library's below it) waits, itself ({@code sleep}, a latch)
 *       or in a library ({@code server.await()}): {@link Activity#IDLE} (a cleanup loop between two rounds,
 *       {@code main} waiting for a server to stop);</li>
 *   <li>anything else with a user frame on the stack: {@link Activity#WORKING}.</li>
 * </ul>
 */
public final class ThreadActivity {

    /**
     * What a thread is waiting in, rather than the code that decided to wait; and the interrupt leaving such a wait
     * (an {@code InterruptedException} being built, its stack filled in, for a few microseconds).
     */
    private static final String[] WAITING_MACHINERY = {"jdk.internal.misc.", "sun.misc.Unsafe", "java.util.concurrent.locks.",
        "java.lang.Throwable", "java.lang.InterruptedException",
        "java.lang.Object", "java.lang.Thread", "java.lang.VirtualThread", "java.lang.Continuation", "jdk.internal.vm.",
        "java.util.concurrent.CountDownLatch", "java.util.concurrent.Semaphore", "java.util.concurrent.CyclicBarrier",
        "java.util.concurrent.Phaser", "java.util.concurrent.Exchanger", "java.util.concurrent.FutureTask",
        "java.util.concurrent.CompletableFuture", "java.util.concurrent.ForkJoinTask", "java.util.concurrent.ForkJoinPool"};

    /** Where the JDK and libraries wait for the next piece of work. */
    private static final String[] WAITS_FOR_WORK = {"java.util.concurrent.LinkedBlockingQueue",
        "java.util.concurrent.ArrayBlockingQueue", "java.util.concurrent.SynchronousQueue",
        "java.util.concurrent.LinkedTransferQueue", "java.util.concurrent.LinkedBlockingDeque",
        "java.util.concurrent.PriorityBlockingQueue", "java.util.concurrent.DelayQueue",
        "java.util.concurrent.ScheduledThreadPoolExecutor$DelayedWorkQueue", "java.util.concurrent.ThreadPoolExecutor",
        "java.util.TimerThread", "java.lang.ref.ReferenceQueue", "sun.nio.ch.EPoll", "sun.nio.ch.KQueue",
        "sun.nio.ch.WEPoll", "sun.nio.ch.SelectorImpl", "sun.nio.ch.PollSelectorImpl", "sun.nio.ch.ServerSocketChannelImpl",
        "java.nio.channels.Selector", "java.net.ServerSocket", "java.lang.ProcessImpl", "java.lang.ProcessHandleImpl"};

    private ThreadActivity() {
    }

    /** The activity of a thread with this state and stack (innermost frame first). */
    static Activity of(Thread.State state, StackTraceElement[] stack) {
        return of(state, List.of(stack));
    }

    static Activity of(Thread.State state, List<StackTraceElement> stack) {
        if (state == Thread.State.TERMINATED || state == Thread.State.NEW) {
            return Activity.ENDED;
        }
        int user = -1;
        for (int i = 0; i < stack.size(); i++) {
            if (CallSites.isUserFrame(stack.get(i))) {
                user = i;
                break;
            }
        }
        if (user < 0) {
            return Activity.IDLE;
        }
        int waitingIn = 0;
        while (waitingIn < user && startsWithAny(stack.get(waitingIn).getClassName(), WAITING_MACHINERY)) {
            waitingIn++;
        }
        if (waitingIn < user && waitsForWork(stack.get(waitingIn))) {
            return Activity.IDLE; // the user's code asked the JDK for the next piece of work
        }
        boolean waits = state != Thread.State.RUNNABLE || waitingIn == user && user > 0;
        return waits && isThreadsOwnLoop(stack, user) ? Activity.IDLE : Activity.WORKING;
    }

    /** Whether a live thread is doing the user's work at this moment (a request in a handler, say). */
    public static boolean isWorking(Thread thread) {
        return of(thread.getState(), thread.getStackTrace()) == Activity.WORKING;
    }

    /**
     * Whether a live thread is only in the thread machinery (starting, about to run its task, or exiting): a
     * moment later it is either running the user's code or gone, so its activity is not yet readable.
     */
    public static boolean inThreadMachinery(Thread thread) {
        if (!thread.isAlive() || thread.getState() != Thread.State.RUNNABLE) {
            return false;
        }
        for (StackTraceElement frame : thread.getStackTrace()) {
            String type = frame.getClassName();
            if (!type.equals("java.lang.Thread") && !type.startsWith("jdk.internal.") && !type.startsWith("java.lang.VirtualThread")
                    && !type.startsWith("java.lang.ThreadGroup")) {
                return false;
            }
        }
        return true;
    }

    private static boolean waitsForWork(StackTraceElement frame) {
        String type = frame.getClassName();
        return startsWithAny(type, WAITS_FOR_WORK)
                || type.startsWith("sun.nio.ch.") && frame.getMethodName().toLowerCase(java.util.Locale.ROOT).contains("accept");
    }

    /**
     * Whether the frame is the outermost code of the user's that the thread runs, with no library below it: a
     * thread the user started waits in its own loop (a cleanup loop between rounds, {@code main} waiting in a
     * server's {@code await()}), while user code that a server or pool called is a task, even when it waits.
     */
    private static boolean isThreadsOwnLoop(List<StackTraceElement> stack, int frame) {
        for (int i = frame + 1; i < stack.size(); i++) {
            StackTraceElement below = stack.get(i);
            if (CallSites.isUserFrame(below) || KnownLibraries.contains(below.getClassName())) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithAny(String type, String[] prefixes) {
        for (String prefix : prefixes) {
            if (type.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
