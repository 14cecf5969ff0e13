package dev.gracefulshutdown.internal.capture;

import static dev.gracefulshutdown.internal.capture.Capture.*;


/**
 * Shutdown hooks and exits, the one place where a JVM whose shutdown is simulated and one that really shuts down
 * (a forked child, a recorded container application) behave differently. In-process, hooks are captured instead of
 * installed and an exit runs the simulated shutdown; in a JVM that really shuts down, hooks are installed and
 * watched, exits really exit, and the recording is written as it happens.
 */
final class HookEvents {

    private HookEvents() {
    }

    static boolean addHook(Thread hook) {
        if (idle()) {
            return false;
        }
        Scope scope = currentScope();
        if (scope == null) {
            return false;
        }
        CallSites.Captured site = CallSites.capture();
        if (site.origin() != CallSites.Origin.APPLICATION || registeredByTheJdk(site) || registeredAsALibraryLoads(site)) {
            return false; // installed for real, as without the kit, and never run by the simulation
        }
        if (hook == null) {
            throw new NullPointerException();
        }
        boolean captured = scope.addHook(hook, site.site());
        return captured && !shutsDownForReal(); // a JVM that really shuts down (forked, container) installs it, and watches it
    }

    /**
     * A hook that the JDK registers for itself, lazily, from inside the code under test (JFR's "JFR Shutdown Hook"
     * when a test starts a {@code Recording}): JDK code other than the registration call itself stands between the
     * caller and {@code Runtime.addShutdownHook}.
     */
    private static boolean registeredByTheJdk(CallSites.Captured site) {
        for (StackTraceElement frame : site.jdkFrames()) {
            String type = frame.getClassName();
            if (!type.equals("java.lang.Runtime") && !type.equals("java.lang.ApplicationShutdownHooks")
                    && !type.startsWith("java.lang.reflect.") && !type.startsWith("jdk.internal.reflect.")
                    && !type.startsWith("java.lang.invoke.")) {
                return true;
            }
        }
        return false;
    }

    /**
     * A library's JVM-wide hook, registered while one of its classes is initialised (Log4j's shutdown registry, set up
     * when {@code LogManager} is first used): there is one per JVM, whichever test happened to load the class first.
     * Captured, it would be that test's and run by its simulated shutdown, and the library would refuse every later
     * test's callbacks ("JVM is shutting down"); it is installed for real instead.
     */
    private static boolean registeredAsALibraryLoads(CallSites.Captured site) {
        for (StackTraceElement frame : site.site().frames()) {
            if (frame.getMethodName().equals("<clinit>") && dev.gracefulshutdown.internal.libraries.KnownLibraries.contains(frame.getClassName())) {
                return true;
            }
        }
        return false;
    }

    static Boolean removeHook(Thread hook) {
        if (idle()) {
            return null;
        }
        Scope scope = currentScope();
        if (scope == null) {
            return null;
        }
        Boolean removed = scope.removeHook(hook);
        return shutsDownForReal() ? null : removed;
    }

    /** A thread is about to end: in a JVM that really shuts down, that is how a hook is seen to complete. */
    static void threadExiting(Thread thread) {
        Scope scope = shutsDownForReal() ? RealShutdown.scope() : null;
        if (scope == null) {
            return;
        }
        LiveHook hook = scope.hookOf(thread);
        if (hook != null) {
            hook.ended();
        } else if (RealShutdown.recordsApplication() && scope.isMainThread(thread)) {
            RealShutdown.applicationMainReturned(); // the JVM's main returned: DestroyJavaVM waits for the others
        }
    }

    static void exitCalled(int status, boolean halt) {
        if (shutsDownForReal()) {
            Scope scope = RealShutdown.scope();
            LiveHook hook = scope == null ? null : scope.hookOf(Thread.currentThread());
            if (hook != null && !halt) {
                hook.calledExit = true;
                RealShutdown.write(RealShutdown.Moment.SHUTDOWN);
            }
            return; // the real JVM exits, or deadlocks, as it would in production
        }
        String call = (halt ? "Runtime.halt(" : "System.exit(") + status + ")";
        Scope scope = idle() ? null : currentScope();
        if (scope == null) {
            Capture.Retired retired = RETIRED.get(Thread.currentThread());
            if (retired != null) {
                throw new SimulatedHalt(call + " from a thread left over by test '" + retired.test()
                        + "' after its verdict: ignored, the test JVM keeps running");
            }
            return; // not code under test: the real exit goes ahead (e.g. the build tool ending the JVM)
        }
        scope.exitCalled(status, halt, call);
    }

    /** Whether this JVM really shuts down: decided once, when it became a forked child or a recorded application. */
    private static boolean shutsDownForReal() {
        return RealShutdown.active();
    }

    /** The real JVM starts a hook the application registered: the hook's thread belongs to the application. */
    static Scope startedByTheRealJvm(Thread thread) {
        Scope scope = shutsDownForReal() ? RealShutdown.scope() : null;
        if (scope == null || scope.hookOf(thread) == null) {
            return null;
        }
        scope.markHookThread(thread);
        scope.hookOf(thread).started();
        return scope;
    }

    /** A hook died of an uncaught exception; a JVM that really shuts down records it at once. */
    static void hookFailed(LiveHook hook, Throwable error) {
        hook.failure = error;
        if (shutsDownForReal()) {
            RealShutdown.write(RealShutdown.Moment.SHUTDOWN);
        }
    }
}
