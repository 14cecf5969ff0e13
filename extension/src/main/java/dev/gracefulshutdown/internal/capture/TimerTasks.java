package dev.gracefulshutdown.internal.capture;

import java.lang.invoke.MethodHandle;

/**
 * What became of a task scheduled on a {@code java.util.Timer}, read from the task and its timer when the inventory is
 * taken. A timer reports nothing as its tasks run ({@code TimerThread.mainLoop} calls {@code run()} on the task
 * itself), but each task keeps its state: scheduled, executed (a one-shot task fired), cancelled. The agent opens
 * {@code java.util} to a class loader of the kit's alone ({@link BridgeDefiner#timerGetters()}); unopened, a timer's
 * tasks are not judged (its thread still is).
 */
final class TimerTasks {

    /** {@code TimerTask}'s own states. */
    private static final int SCHEDULED = 1;
    private static final int EXECUTED = 2;
    private static final int CANCELLED = 3;
    private static final String MAIN_LOOP = "java.util.TimerThread";

    private static volatile MethodHandle state;
    private static volatile MethodHandle period;
    private static volatile MethodHandle thread;
    private static volatile MethodHandle takesNewTasks;

    private TimerTasks() {
    }

    static void open(MethodHandle[] getters) {
        state = getters[0];
        period = getters[1];
        thread = getters[2];
        takesNewTasks = getters[3];
    }

    /** Whether the kit can read a timer's tasks in this JVM. */
    static boolean readable() {
        return state != null;
    }

    /** The timer's thread, or {@code null} when it cannot be read. */
    static Thread threadOf(Object timer) {
        MethodHandle getter = thread;
        try {
            return getter == null ? null : (Thread) getter.invoke(timer);
        } catch (Throwable unreadable) {
            return null;
        }
    }

    /** What became of a scheduled task, as far as its timer knows. */
    enum Seen {
        /** It waits for its time (a periodic task between two runs too). */
        SCHEDULED,
        /** Its timer's thread runs it now. */
        RUNNING,
        /** A one-shot task that fired and is no longer running. */
        RAN,
        /** Its owner called {@code task.cancel()}. */
        CANCELLED,
        /** Still scheduled on a timer that takes no more tasks: {@code timer.cancel()} threw it away, or the thread died. */
        THROWN_AWAY,
        /** Never scheduled (its scheduling threw), or not readable. */
        UNKNOWN
    }

    /** A task's state and whether it repeats. */
    record Reading(Seen seen, boolean periodic) {
    }

    static Reading read(Object task, Thread timerThread) {
        MethodHandle stateGetter = state;
        if (stateGetter == null || timerThread == null) {
            return new Reading(Seen.UNKNOWN, false);
        }
        try {
            int now = (Integer) stateGetter.invoke(task);
            boolean periodic = (Long) period.invoke(task) != 0;
            if (now == CANCELLED) {
                return new Reading(Seen.CANCELLED, periodic);
            }
            if (now != SCHEDULED && now != EXECUTED) {
                return new Reading(Seen.UNKNOWN, periodic);
            }
            if ((now == EXECUTED || periodic) && runs(timerThread, task)) { // a one-shot task not yet fired runs nowhere
                return new Reading(Seen.RUNNING, periodic);
            }
            if (now == EXECUTED) {
                return new Reading(Seen.RAN, periodic);
            }
            boolean thrownAway = timerThread.getState() == Thread.State.TERMINATED
                    || !(Boolean) takesNewTasks.invoke(timerThread);
            return new Reading(thrownAway ? Seen.THROWN_AWAY : Seen.SCHEDULED, periodic);
        } catch (Throwable unreadable) {
            return new Reading(Seen.UNKNOWN, false);
        }
    }

    /** Whether the timer's thread is inside this task's {@code run()}: the frame just above its main loop. */
    private static boolean runs(Thread timerThread, Object task) {
        StackTraceElement[] stack = timerThread.getStackTrace();
        for (int i = 1; i < stack.length; i++) {
            if (stack[i].getClassName().equals(MAIN_LOOP) && stack[i].getMethodName().equals("mainLoop")) {
                return stack[i - 1].getMethodName().equals("run") && declaredBy(task.getClass(), stack[i - 1].getClassName());
            }
        }
        return false;
    }

    private static boolean declaredBy(Class<?> type, String className) {
        for (Class<?> c = type; c != null && c != java.util.TimerTask.class; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
