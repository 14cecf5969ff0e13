package dev.gracefulshutdown.internal.text;

/**
 * Stack frames as the kit's messages write them: {@code com.example.App.main(App.java:12)}, without the class
 * loader and module that {@link StackTraceElement#toString()} puts in front ({@code java.base/}, {@code app//}).
 */
public final class Frames {

    private Frames() {
    }

    public static String format(StackTraceElement frame) {
        String source = frame.isNativeMethod() ? "Native Method" : frame.getFileName() == null ? "Unknown Source"
                : frame.getFileName() + (frame.getLineNumber() >= 0 ? ":" + frame.getLineNumber() : "");
        return frame.getClassName() + "." + frame.getMethodName() + "(" + source + ")";
    }

    /** Where an exception was thrown: its innermost frame, or {@code unknown site} when it has no stack. */
    public static String thrownAt(Throwable failure) {
        if (failure == null || failure.getStackTrace().length == 0) {
            return "unknown site";
        }
        return format(failure.getStackTrace()[0]);
    }
}
