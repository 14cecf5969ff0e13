package dev.gracefulshutdown.internal.simulate;

import dev.gracefulshutdown.RunningApplication;
import dev.gracefulshutdown.internal.capture.Scope;
import dev.gracefulshutdown.internal.capture.ScopedOutput;
import dev.gracefulshutdown.internal.text.Durations;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** An application run from its {@code main} class on a non-daemon thread of its own, inside the test's scope. */
public final class MainApplication implements RunningApplication {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final Scope scope;
    private final String name;
    private final Thread main;
    private volatile Throwable failure;
    private volatile boolean returned;

    private MainApplication(Scope scope, Class<?> mainClass, String[] args) {
        this.scope = scope;
        this.name = mainClass.getName();
        Method entry = mainMethod(mainClass);
        String[] arguments = args.clone();
        this.main = new Thread(() -> {
            try {
                entry.invoke(null, (Object) arguments);
            } catch (InvocationTargetException e) {
                failure = e.getCause();
            } catch (IllegalAccessException e) {
                failure = e;
            } finally {
                returned = true;
            }
        }, mainClass.getSimpleName() + "-main");
    }

    /** Starts {@code mainClass.main(args)}; called on the test's thread, so the application is the test's. */
    public static MainApplication start(Scope scope, Class<?> mainClass, String... args) {
        ScopedOutput.install();
        MainApplication application = new MainApplication(scope, mainClass, args);
        dev.gracefulshutdown.internal.capture.Capture.adoptApplicationMain(scope, application.main, mainClass);
        application.main.start();
        return application;
    }

    public static Method mainMethod(Class<?> mainClass) {
        try {
            Method main = mainClass.getMethod("main", String[].class);
            if (!Modifier.isStatic(main.getModifiers())) {
                throw new IllegalArgumentException(mainClass.getName() + ".main(String[]) is not static");
            }
            return main;
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(mainClass.getName() + " has no public static void main(String[])", e);
        }
    }

    @Override
    public RunningApplication awaitOutput(String text, Duration timeout) {
        return await(() -> output().contains(text), timeout, "\"" + text + "\" in its output");
    }

    @Override
    public RunningApplication awaitReady(BooleanSupplier ready, Duration timeout) {
        return await(ready, timeout, "its readiness condition");
    }

    private RunningApplication await(BooleanSupplier ready, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (failure != null) {
                throw new AssertionError(name + ".main threw before the application was ready (waiting for " + what + ")",
                        failure);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + " was not ready within " + Durations.format(timeout) + " (waiting for " + what
                        + "); its output so far:\n" + output());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
        return this;
    }

    @Override
    public String output() {
        return scope.output();
    }

    @Override
    public boolean mainReturned() {
        return returned;
    }
}
