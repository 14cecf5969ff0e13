package dev.gracefulshutdown.internal.capture;

import java.lang.invoke.MethodHandles;

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
}
