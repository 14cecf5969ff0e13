package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.internal.libraries.KnownLibraries;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Captures call sites and decides who is behind them: the application, a tool (JUnit, Surefire, Awaitility,
 * AssertJ) or a JDK singleton started lazily from a static initializer (process reaper, Common-Cleaner).
 * Knowing who created a thread is better than guessing from its name.
 */
final class CallSites {

    enum Origin { APPLICATION, TOOL, JDK_SINGLETON }

    /** Who is behind a call, its site, and the JDK's frames above it (their class and method only). */
    record Captured(Origin origin, CallSite site, List<StackTraceElement> jdkFrames) {
        boolean passesThrough(String className) {
            return jdkFrames.stream().anyMatch(f -> f.getClassName().equals(className));
        }

        /** Whether the JDK's internal machinery (not its reflection) made the call, on the application's behalf. */
        boolean byJdkMachinery() {
            return jdkFrames.stream().map(StackTraceElement::getClassName)
                    .anyMatch(type -> type.startsWith("jdk.internal.") && !type.startsWith("jdk.internal.reflect."));
        }
    }

    private static final int MAX_DEPTH = 96;
    private static final int MAX_FRAMES = 24;
    /**
     * Reflection frames shown (the JDK's, skipped like any other) rather than filtered out frame by frame, and the
     * smallest first batch: the JDK allocates a frame object per slot of a batch before the walk begins, and a site
     * usually ends within a few frames (at the first tool frame). Measured on JDK 17 and 25, walking 20 to 30 frames:
     * 1.4 to 2.1 µs with a first batch of 8, 3.3 to 9.7 µs with 64, the buffer growing as needed.
     */
    private static final StackWalker WALKER = StackWalker.getInstance(java.util.Set.of(StackWalker.Option.SHOW_REFLECT_FRAMES), 8);
    private static final String[] JDK = {"java.", "javax.", "jdk.", "sun.", "com.sun."};
    private static final String[] TOOLS = {"org.junit.", "junit.", "org.apache.maven.", "org.awaitility.",
        "org.assertj.", "org.opentest4j.", "org.gradle.", "worker.org.gradle.", "com.intellij.", "org.eclipse.jdt.internal.junit",
        "net.bytebuddy.", "org.hamcrest.", "org.testcontainers.", "com.github.dockerjava."};
    private static final String KIT = "dev.gracefulshutdown.internal.";
    private static final String KIT_PACKAGE = "dev.gracefulshutdown.";
    /**
     * The kit's public classes, which its bookkeeping runs on the application's threads too (a {@link CallSite} made
     * while a library's thread submits a task): the kit's code, not the user's, though outside {@link #KIT}. Named one
     * by one: the user's code may share their packages (the kit's own tests, {@code dev.gracefulshutdown.examples}).
     */
    private static final java.util.Set<String> KIT_API = java.util.Set.of("CallSite", "CapturedExecutor", "CapturedHook",
            "CapturedTask", "CapturedThread", "ExploreShutdown", "GracefulShutdownTest", "RunningApplication",
            "ShutdownAssertions", "ShutdownReport", "ShutdownReportAssert", "ShutdownSimulator", "ShutdownTrigger", "Violation",
            "http.HttpTraffic", "spring.GracefulShutdownContextCustomizerFactory", "spring.GracefulShutdownTestExecutionListener",
            "spring.SpringContexts", "testcontainers.ContainerShutdown", "testcontainers.DockerCondition",
            "testcontainers.RequiresDocker");

    /** Whether a class is the kit's own: its internals, the bridge, or one of its public classes (nested ones too). */
    static boolean isKitType(String type) {
        if (type.startsWith(KIT) || type.startsWith(AgentInstaller.BRIDGE_CLASS)) {
            return true;
        }
        if (!type.startsWith(KIT_PACKAGE)) {
            return false;
        }
        int nested = type.indexOf('$');
        return KIT_API.contains(type.substring(KIT_PACKAGE.length(), nested < 0 ? type.length() : nested));
    }

    private CallSites() {
    }

    /**
     * The calling thread's call site. The walk keeps the frames as they are and turns only those it keeps into
     * {@link StackTraceElement}s (the JDK's frames up to the first other one, and the application's): under JUnit a
     * stack is 60 to 90 frames deep, mostly the tools', and resolving a frame's file and line is the expensive part.
     */
    static Captured capture() {
        return WALKER.walk(frames -> classify(frames.limit(MAX_DEPTH).iterator(), StackWalker.StackFrame::getClassName,
                StackWalker.StackFrame::getMethodName, StackWalker.StackFrame::toStackTraceElement));
    }

    static Captured classify(List<StackTraceElement> stack) {
        return classify(stack.iterator(), StackTraceElement::getClassName, StackTraceElement::getMethodName, Function.identity());
    }

    /**
     * One pass, from the innermost frame. The application's call site ends where the tools' frames begin (JUnit's
     * runner, Surefire): the walk stops there, so that a captured task does not pay for the 60 or so frames of the
     * build below every test. Application frames a tool calls back into further down (the test method below an
     * Awaitility poll) are therefore not part of the site; its innermost frames, the ones a message shows, are.
     */
    private static <F> Captured classify(Iterator<F> stack, Function<F, String> className, Function<F, String> methodName,
            Function<F, StackTraceElement> element) {
        Origin origin = null;
        boolean inJdkStaticInitializer = false;
        List<StackTraceElement> jdkFrames = new ArrayList<>();
        List<StackTraceElement> application = new ArrayList<>();
        while (stack.hasNext()) {
            F frame = stack.next();
            String type = className.apply(frame);
            if (isKitType(type)) {
                continue;
            }
            boolean jdk = startsWithAny(type, JDK);
            if (origin == null) {
                if (jdk) {
                    String method = methodName.apply(frame);
                    // only the class and method of the JDK's frames are ever asked: no file and line to resolve
                    jdkFrames.add(new StackTraceElement(type, method, null, -1));
                    inJdkStaticInitializer |= method.equals("<clinit>");
                    continue;
                }
                origin = inJdkStaticInitializer ? Origin.JDK_SINGLETON
                        : startsWithAny(type, TOOLS) ? Origin.TOOL : Origin.APPLICATION;
            }
            if (jdk) {
                continue;
            }
            if (startsWithAny(type, TOOLS)) {
                if (origin == Origin.APPLICATION) {
                    if (aTestLibrarysCallback(application, stack, className, methodName)) {
                        origin = Origin.TOOL;
                    }
                    break; // the application's site is complete: below are the test runner and the build
                }
                continue;
            }
            if (application.size() < MAX_FRAMES) {
                application.add(element.apply(frame));
            } else if (origin == Origin.APPLICATION) {
                break;
            }
        }
        if (origin == null) {
            origin = inJdkStaticInitializer ? Origin.JDK_SINGLETON : Origin.TOOL;
        }
        return new Captured(origin, new CallSite(application), jdkFrames);
    }

    /** JUnit's methods that call the extensions' before-callbacks (JUnit 5 and 6; {@code CallbackSupport} from 5.13 on). */
    private static final java.util.Set<String> BEFORE_CALLBACKS = java.util.Set.of("invokeBeforeCallbacks", "invokeBeforeAllCallbacks",
            "invokeBeforeEachCallbacks", "invokeBeforeTestExecutionCallbacks");
    /**
     * The test extensions of application frameworks, which start the application under test (Spring's
     * {@code SpringExtension}, Micronaut's, Dropwizard's {@code DropwizardAppExtension}, Helidon's, Quarkus's): what
     * they create is the application's.
     */
    private static final String[] APPLICATION_STARTERS = {"org.springframework.", "io.micronaut.", "io.dropwizard.",
        "io.helidon.", "io.quarkus."};

    /**
     * Whether the frames so far (none of them the user's code) are a library's JUnit extension in one of its
     * before-callbacks, called by JUnit (the stack's next frames): a test server an extension starts and stops around
     * each test (WireMock's, MockWebServer's), the test's scaffolding like JUnit's own threads, not the application.
     * An extension of the user's own is the user's code (name its package in {@code gracefulshutdown.libraries}), and
     * what a library's extension hands the test as a parameter (a Vert.x instance) is the application's.
     */
    private static <F> boolean aTestLibrarysCallback(List<StackTraceElement> application, Iterator<F> stack,
            Function<F, String> className, Function<F, String> methodName) {
        if (application.isEmpty() || startsWithAny(application.get(application.size() - 1).getClassName(), APPLICATION_STARTERS)) {
            return false;
        }
        for (StackTraceElement frame : application) {
            if (!KnownLibraries.contains(frame.getClassName())) {
                return false;
            }
        }
        for (int i = 0; i < 12 && stack.hasNext(); i++) {
            F frame = stack.next();
            String method = methodName.apply(frame);
            if (BEFORE_CALLBACKS.contains(method)) {
                return className.apply(frame).startsWith("org.junit.jupiter.engine.");
            }
            if (method.startsWith("invoke") && className.apply(frame).startsWith("org.junit.jupiter.engine.descriptor.")) {
                return false; // a test method, a lifecycle method, a parameter being resolved
            }
        }
        return false;
    }

    /** The innermost frames of a live thread's stack, for "where was it at the halt". */
    static List<StackTraceElement> top(StackTraceElement[] stack, int count) {
        List<StackTraceElement> top = new ArrayList<>();
        for (int i = 0; i < stack.length && top.size() < count; i++) {
            if (!isKitType(stack[i].getClassName())) {
                top.add(stack[i]);
            }
        }
        return top;
    }

    static boolean isApplicationFrame(StackTraceElement frame) {
        String type = frame.getClassName();
        return !startsWithAny(type, JDK) && !startsWithAny(type, TOOLS) && !isKitType(type);
    }

    /** A frame of the user's own code: not the JDK, a tool, the kit, or a known library. */
    static boolean isUserFrame(StackTraceElement frame) {
        return isApplicationFrame(frame) && !KnownLibraries.contains(frame.getClassName());
    }

    /** Whether a class is the user's own: not the JDK, a tool, the kit, or a known library. */
    static boolean isUserType(String type) {
        return !startsWithAny(type, JDK) && !startsWithAny(type, TOOLS) && !isKitType(type) && !KnownLibraries.contains(type);
    }

    static boolean isJdkFrame(StackTraceElement frame) {
        return startsWithAny(frame.getClassName(), JDK);
    }

    /** Whether the innermost frame that is not the JDK's belongs to a known library (it started the thread, say). */
    static boolean innermostIsLibrary(CallSite site) {
        return !site.frames().isEmpty() && KnownLibraries.contains(site.frames().get(0).getClassName());
    }

    private static boolean startsWithAny(String type, String[] prefixes) {
        for (String prefix : prefixes) {
            if (type.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
