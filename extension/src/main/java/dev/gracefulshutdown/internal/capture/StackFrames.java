package dev.gracefulshutdown.internal.capture;

/** Whether a stack frame belongs to the application (not the JDK, a tool or the kit). */
public final class StackFrames {

    private StackFrames() {
    }

    public static boolean isApplicationFrame(StackTraceElement frame) {
        return CallSites.isApplicationFrame(frame);
    }
}
