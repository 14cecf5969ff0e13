package dev.gracefulshutdown.internal.capture;

/** Whether a stack frame belongs to the application (not the JDK, a tool or the kit). */
public final class StackFrames {

    private StackFrames() {
    }

    public static boolean isApplicationFrame(StackTraceElement frame) {
        return CallSites.isApplicationFrame(frame);
    }

    /** Whether a frame is the user's own code: not the JDK, a tool, the kit, or a known library. */
    public static boolean isUserFrame(StackTraceElement frame) {
        return CallSites.isUserFrame(frame);
    }

    /**
     * Whether the thread's stack still holds a frame of the application: its own work is not done. The JDK's
     * machinery, the tools' and the kit's own recording inside them (a worker recording the next step it hands on, the
     * kit's transformer weaving a class the worker loads) are not the application's; nor is anything on a thread
     * starting or ending (no frames at all).
     */
    public static boolean runsApplicationCode(Thread thread) {
        return runsApplicationCode(thread.getStackTrace());
    }

    static boolean runsApplicationCode(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (isApplicationFrame(frame)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the thread's stack holds a frame of the user's own code (not a known library's): it does the user's work. */
    public static boolean runsUsersCode(Thread thread) {
        return runsUsersCode(thread.getStackTrace());
    }

    /** Whether the stack holds a frame of the user's own code. */
    static boolean runsUsersCode(StackTraceElement[] stack) {
        for (StackTraceElement frame : stack) {
            if (isUserFrame(frame)) {
                return true;
            }
        }
        return false;
    }
}
