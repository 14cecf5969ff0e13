package dev.gracefulshutdown.internal.capture;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * Defines the bridge class in {@code java.lang}. This class is loaded on its own, in an isolated class
 * loader, so that {@code java.lang} is opened to that loader's module only and never to the code under test.
 * It uses JDK types only.
 */
public final class BridgeDefiner {

    private BridgeDefiner() {
    }

    public static Class<?> define(byte[] classFile) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup()).defineClass(classFile);
    }

    /**
     * Getters for the work inside the JDK's wrappers: a {@code FutureTask}'s callable and the runnable in the
     * {@code Executors.callable(...)} adapter ({@code java.util.concurrent} is opened to this loader's module only).
     */
    public static MethodHandle[] workGetters() throws ReflectiveOperationException {
        Class<?> adapter = Class.forName("java.util.concurrent.Executors$RunnableAdapter");
        return new MethodHandle[] {
            MethodHandles.privateLookupIn(FutureTask.class, MethodHandles.lookup()).findGetter(FutureTask.class, "callable", Callable.class),
            MethodHandles.privateLookupIn(adapter, MethodHandles.lookup()).findGetter(adapter, "task", Runnable.class)};
    }
}
