package dev.gracefulshutdown.internal.capture;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/** Small helpers over {@link Thread} that work on JDK 17 (no virtual threads) and 21+. */
public final class Threads {

    private static final MethodHandle IS_VIRTUAL = findIsVirtual();

    private Threads() {
    }

    public static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle findIsVirtual() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException absentBeforeJdk21) {
            return null;
        }
    }
}
