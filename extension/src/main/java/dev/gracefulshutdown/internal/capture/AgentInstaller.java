package dev.gracefulshutdown.internal.capture;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Installs the kit's instrumentation once per JVM: defines the bootstrap-visible bridge, retransforms the
 * JDK classes that create threads, executors, tasks and hooks, and then checks itself. If it cannot, it
 * fails with the JVM flag to add.
 */
public final class AgentInstaller {

    /** Name of the one class the kit adds to {@code java.lang}; it holds the {@link Dispatcher}. */
    static final String BRIDGE_CLASS = Bridge.CLASS;
    private static final String BRIDGE_FIELD = Bridge.DISPATCHER;

    /** {@code -Dgracefulshutdown.agent.timing=true} prints how long each phase of the installation took. */
    private static final boolean TIMING = Boolean.getBoolean("gracefulshutdown.agent.timing");
    private static volatile boolean installed;
    /** Whether the installation computed woven classes and stored them in the cache. */
    private static volatile boolean storedInCache;
    private static volatile RuntimeException failure;

    private AgentInstaller() {
    }

    /** Installs the agent, attaching to the running JVM if it was not loaded with {@code -javaagent}. */
    public static void ensureInstalled() {
        if (installed) {
            return;
        }
        synchronized (AgentInstaller.class) {
            if (installed) {
                return;
            }
            if (failure != null) {
                throw failure;
            }
            Instrumentation deferred = Agent.deferred();
            if (deferred != null) {
                install(deferred, "-javaagent, at the first kit test");
                return;
            }
            Instrumentation instrumentation;
            String how = "self-attach through the JVM's attach listener";
            long attaching = System.nanoTime();
            try {
                System.setProperty("net.bytebuddy.safe", "true");
                instrumentation = SelfAttach.attach();
                if (instrumentation == null) {
                    how = "self-attach through Byte Buddy";
                    instrumentation = ByteBuddyAgent.install();
                }
            } catch (RuntimeException | LinkageError e) {
                failure = new IllegalStateException(cannotInstall("could not attach the agent to the running JVM: " + e), e);
                throw failure;
            }
            if (TIMING) {
                System.err.printf("graceful-shutdown-junit %s: %d ms%n", how, (System.nanoTime() - attaching) / 1_000_000);
            }
            install(instrumentation, how);
        }
    }

    static boolean storedInCache() {
        return storedInCache;
    }

    static synchronized void install(Instrumentation instrumentation, String how) {
        if (installed) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            Class<?> bridge = defineBridge(instrumentation);
            bridge.getField(BRIDGE_FIELD).set(null, Dispatcher.INSTANCE);
            Capture.connectGate(bridge.getField(Bridge.CAPTURING));
            long t1 = System.nanoTime();
            TransformCache cache = TransformCache.open(weavingClasses());
            KitTransformer transformer = new KitTransformer(bridge, cache);
            List<Class<?>> targets = jdkTargets(); // loaded before the transformer: it could not weave them as they load
            instrumentation.addTransformer(transformer, true); // what loads from now on is woven as it loads
            List<Class<?>> usersClasses = new ArrayList<>();
            // after adding the transformer: a class loading meanwhile is woven as it loads, or found here (or both:
            // a retransformation starts again from its original class file, so it is woven once either way)
            loadedClasses(instrumentation, transformer.libraryClasses(), targets, usersClasses);
            long t2 = System.nanoTime();
            try {
                instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
            } catch (UnmodifiableClassException | RuntimeException | LinkageError refused) {
                if (!transformer.usedCache()) {
                    throw refused;
                }
                transformer.distrustCache(); // a stored entry the JVM refused: computed again, and replaced
                instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
            }
            long t3 = System.nanoTime();
            selfCheck(transformer.transformed(), transformer.errors());
            long t4 = System.nanoTime();
            retransformEach(instrumentation, usersClasses);
            long t5 = System.nanoTime();
            if (TIMING) {
                System.err.printf("graceful-shutdown-junit install (%s): bridge %d ms, cache and targets %d ms, retransform %d ms "
                        + "(%s), self-check %d ms, catch blocks %d ms (%d loaded classes), total %d ms%n", how,
                        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000,
                        cache == null ? "no cache" : transformer.usedCache() ? "cached in " + cache.directory()
                                : "computed, cached in " + cache.directory(),
                        (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000, usersClasses.size(), (t5 - t0) / 1_000_000);
            }
            storedInCache = cache != null && cache.storedAny();
            installed = true;
        } catch (RuntimeException | ReflectiveOperationException | IOException | UnmodifiableClassException | LinkageError e) {
            failure = e instanceof IllegalStateException ? (IllegalStateException) e
                    : new IllegalStateException(cannotInstall("installing the instrumentation (" + how + ") failed: " + e), e);
            throw failure;
        }
    }

    private static Class<?> defineBridge(Instrumentation instrumentation) throws ReflectiveOperationException, IOException {
        try {
            return Class.forName(BRIDGE_CLASS, false, null);
        } catch (ClassNotFoundException notYetDefined) {
            // defined below
        }
        byte[] bridge = Bridge.classFile();
        Class<?> definer = new IsolatedLoader().defineDefiner();
        instrumentation.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                Map.of("java.lang", Set.of(definer.getModule()), "java.util.concurrent", Set.of(definer.getModule()),
                        "java.util", Set.of(definer.getModule())),
                Set.of(), Map.of());
        try {
            @SuppressWarnings("unchecked") // BridgeDefiner's own declaration, through the isolated loader
            Map<String, java.lang.invoke.MethodHandle> wrappers = (Map<String, java.lang.invoke.MethodHandle>) definer.getMethod("workGetters").invoke(null);
            JdkWrappers.open(wrappers);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError absentOnThisJdk) {
            // the JDK's wrappers stay closed: a library's task inside one counts as holding the user's code
        }
        try {
            CompletionSteps.open((java.lang.invoke.MethodHandle[]) definer.getMethod("stepGetters").invoke(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError absentOnThisJdk) {
            // the exchange a JDK step completes is told by the exchanges in flight alone
        }
        try {
            TimerTasks.open((java.lang.invoke.MethodHandle[]) definer.getMethod("timerGetters").invoke(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError absentOnThisJdk) {
            // a timer's tasks stay closed: only its thread is judged
        }
        return (Class<?>) definer.getMethod("define", byte[].class).invoke(null, (Object) bridge);
    }

    /**
     * Loads the JDK targets first: a class first loaded during a retransformation can be skipped silently, and one
     * first loaded while the transformer is in place would be woven while it loads, when Byte Buddy cannot
     * yet look at the classes it refers to (a circularity).
     */
    private static List<Class<?>> jdkTargets() {
        List<Class<?>> targets = new ArrayList<>();
        for (String name : KitTransformer.JDK_TARGETS) {
            try {
                targets.add(Class.forName(name.replace('/', '.'), false, null));
            } catch (ClassNotFoundException absentOnThisJdk) {
                // java.lang.VirtualThread exists from JDK 19 (21 without preview) on
            }
        }
        return targets;
    }

    /**
     * Besides the JDK targets, only the already loaded classes of the pool adapters' libraries and the application's
     * classes already loaded (their catch blocks) are retransformed, found in one walk over the loaded classes;
     * whatever loads later is instrumented as it loads.
     */
    private static void loadedClasses(Instrumentation instrumentation, Set<String> libraryClasses, List<Class<?>> targets,
            List<Class<?>> usersClasses) {
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            ClassLoader loader = type.getClassLoader();
            if (loader == null || type.isArray()) {
                continue;
            }
            String name = type.getName();
            if (loader == ClassLoader.getPlatformClassLoader()) {
                if (KitTransformer.PLATFORM_TARGETS.contains(name.replace('.', '/')) && instrumentation.isModifiableClass(type)) {
                    targets.add(type); // the JDK's HttpClient, used before the first kit test (self-attach)
                }
                continue;
            }
            if (libraryClasses.contains(name.replace('.', '/'))) {
                if (instrumentation.isModifiableClass(type)) {
                    targets.add(type); // a library loaded before the first kit test (self-attach): its pool too
                    loadNested(type, libraryClasses);
                }
            } else if (CatchBlocks.isUsersClass(loader, name, type.getProtectionDomain()) && !type.isAnnotation()
                    && !type.isSynthetic() && instrumentation.isModifiableClass(type)) {
                usersClasses.add(type);
            }
        }
    }

    /**
     * Loads the instrumented classes nested in a library's class about to be retransformed (JBoss Threads'
     * {@code EnhancedQueueExecutor$Task}), as {@link #jdkTargets} loads the JDK's: first loaded during the
     * retransformation, the JVM would leave it unwoven; loaded now, the transformer weaves it as it loads.
     */
    private static void loadNested(Class<?> outer, Set<String> libraryClasses) {
        String prefix = outer.getName().replace('.', '/') + "$";
        for (String nested : libraryClasses) {
            if (nested.startsWith(prefix)) {
                try {
                    Class.forName(nested.replace('/', '.'), false, outer.getClassLoader());
                } catch (ClassNotFoundException | LinkageError absentInThisVersion) {
                    // an older version of the library: nothing to weave
                }
            }
        }
    }

    /**
     * Retransforms the classes together, and one by one if the JVM refuses the batch: a class that cannot be
     * instrumented keeps its code (the kit then does not see what it catches), and nothing else changes.
     */
    private static void retransformEach(Instrumentation instrumentation, List<Class<?>> classes) {
        if (classes.isEmpty()) {
            return;
        }
        try {
            instrumentation.retransformClasses(classes.toArray(new Class<?>[0]));
        } catch (UnmodifiableClassException | RuntimeException | LinkageError batchRefused) {
            for (Class<?> type : classes) {
                try {
                    instrumentation.retransformClasses(type);
                } catch (UnmodifiableClassException | RuntimeException | LinkageError refused) {
                    // that class keeps its code
                }
            }
        }
    }

    /**
     * The class files the woven bytes of the JDK's and the libraries' classes are computed from, besides their own and
     * this kit's {@link Weaver}: the advice (each nested class of {@link Advices}), the adapters and
     * {@link SwallowedFailures}, the bridge, and Byte Buddy's
     * advice and type writer (added by the cache: its version). The {@link TransformCache} uses an entry only if they are unchanged.
     */
    private static List<String> weavingClasses() throws IOException {
        List<String> classes = new ArrayList<>();
        for (Class<?> kit : List.of(Weaver.class, Advices.class, Bridge.class, KitTransformer.class, PoolAdapter.class,
                SwallowedFailures.class, CatchBlocks.class)) {
            classes.add(resource(kit.getName()));
        }
        classes.addAll(nestedClasses(Advices.class));
        classes.addAll(nestedClasses(CatchBlocks.class));
        for (PoolAdapter adapter : PoolAdapter.ALL) {
            classes.add(resource(adapter.getClass().getName()));
        }
        return classes;
    }

    private static String resource(String className) {
        return new StringBuilder(className.replace('.', '/')).append(".class").toString();
    }

    /** The class files of a class's nested classes, read from its InnerClasses attribute (none is loaded). */
    private static List<String> nestedClasses(Class<?> outer) throws IOException {
        String resource = resource(outer.getName());
        byte[] bytes;
        try (InputStream in = outer.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing " + resource);
            }
            bytes = in.readAllBytes();
        }
        String owner = outer.getName().replace('.', '/');
        List<String> nested = new ArrayList<>();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visitInnerClass(String name, String outerName, String innerName, int access) {
                if (owner.equals(outerName)) {
                    nested.add(new StringBuilder(name).append(".class").toString());
                }
            }
        }, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return nested;
    }

    private static void selfCheck(Set<String> transformed, Map<String, Throwable> errors) {
        if (!errors.isEmpty()) {
            Map.Entry<String, Throwable> first = errors.entrySet().iterator().next();
            throw new IllegalStateException(cannotInstall("instrumenting " + first.getKey() + " failed: " + first.getValue()),
                    first.getValue());
        }
        for (String required : Arrays.asList("java.lang.Thread", "java.lang.Runtime",
                "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ForkJoinPool")) {
            if (!transformed.contains(required)) {
                throw new IllegalStateException(cannotInstall(required + " was not instrumented"));
            }
        }
        if (!Dispatcher.INSTANCE.probe()) {
            throw new IllegalStateException(cannotInstall("the instrumentation did not report a probe thread and pool"));
        }
    }

    private static String cannotInstall(String reason) {
        return "graceful-shutdown-junit cannot capture threads and executors: " + reason + ". "
                + "Load the kit as an agent instead: add -javaagent:/path/to/graceful-shutdown-junit.jar to the test JVM "
                + "(Maven Surefire: <argLine>-javaagent:${dev.gracefulshutdown:graceful-shutdown-junit:jar}</argLine> with "
                + "maven-dependency-plugin's 'properties' goal; Gradle: jvmArgs). On JDK 21+ self-attach also needs "
                + "-XX:+EnableDynamicAgentLoading to be silent, and it fails under -XX:-EnableDynamicAgentLoading.";
    }

    /** Loads {@link BridgeDefiner} alone, so that opening {@code java.lang} reaches no other code. */
    private static final class IsolatedLoader extends ClassLoader {
        IsolatedLoader() {
            super("graceful-shutdown-bridge-definer", ClassLoader.getPlatformClassLoader());
        }

        Class<?> defineDefiner() throws IOException {
            String resource = resource(BridgeDefiner.class.getName());
            try (InputStream in = AgentInstaller.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("missing " + resource);
                }
                byte[] bytes = in.readAllBytes();
                return defineClass(BridgeDefiner.class.getName(), bytes, 0, bytes.length);
            }
        }
    }
}
