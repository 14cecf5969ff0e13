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

    /** Whether the thread's stack still holds a frame of the application: its own work is not done. */
    public static boolean runsApplicationCode(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
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
