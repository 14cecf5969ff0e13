package dev.gracefulshutdown;

import dev.gracefulshutdown.internal.libraries.KnownLibraries;
import java.util.List;

/**
 * Where something happened in the code under test: the stack of the creating, submitting or registering
 * thread, trimmed to the application's frames (JDK, JUnit, build-tool and kit frames removed).
 *
 * @param frames the application's frames, innermost first; empty when the stack held none
 */
public record CallSite(List<StackTraceElement> frames) {

    public CallSite {
        frames = List.copyOf(frames);
    }

    /**
     * The site to show a user: the innermost frame of their own code, skipping framework frames (Spring,
     * Guava...) when possible, followed by the framework frame that did the work, if any.
     */
    public String where() {
        if (frames.isEmpty()) {
            return "unknown site";
        }
        for (StackTraceElement frame : frames) {
            if (!KnownLibraries.contains(frame.getClassName())) {
                return format(frame) + (frame == frames.get(0) ? "" : " via " + format(frames.get(0)));
            }
        }
        return format(frames.get(0));
    }

    static String format(StackTraceElement frame) {
        return frame.getClassName() + "." + frame.getMethodName() + "(" + (frame.getFileName() == null ? "Unknown Source"
                : frame.getFileName() + (frame.getLineNumber() >= 0 ? ":" + frame.getLineNumber() : "")) + ")";
    }

    @Override
    public String toString() {
        return where();
    }
}
