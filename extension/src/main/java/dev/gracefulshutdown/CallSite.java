package dev.gracefulshutdown;

import dev.gracefulshutdown.internal.libraries.KnownLibraries;
import dev.gracefulshutdown.internal.text.Frames;
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
                return Frames.format(frame) + (frame == frames.get(0) ? "" : " via " + Frames.format(frames.get(0)));
            }
        }
        return Frames.format(frames.get(0));
    }

    @Override
    public String toString() {
        return where();
    }
}
