package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.ByteBuddyAgent;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

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
            try {
                System.setProperty("net.bytebuddy.safe", "true");
                instrumentation = ByteBuddyAgent.install();
            } catch (RuntimeException | LinkageError e) {
                failure = new IllegalStateException(cannotInstall("could not attach the agent to the running JVM: " + e), e);
                throw failure;
            }
            install(instrumentation, "self-attach");
        }
    }

    static synchronized void install(Instrumentation instrumentation, String how) {
        if (installed) {
            return;
        }
        try {
            long t0 = System.nanoTime();
            System.setProperty("net.bytebuddy.safe", "true");
            Class<?> bridge = defineBridge(instrumentation);
            bridge.getField(BRIDGE_FIELD).set(null, Dispatcher.INSTANCE);
            Capture.connectGate(bridge.getField(Bridge.CAPTURING));
            Set<String> transformed = ConcurrentHashMap.newKeySet();
            Map<String, Throwable> errors = new ConcurrentHashMap<>();
            Class<?>[] targets = loadTargets(instrumentation);
            long t1 = System.nanoTime();
            AgentBuilder builder = agentBuilder(bridge, targets, transformed, errors);
            long t2 = System.nanoTime();
            builder.installOn(instrumentation);
            long t3 = System.nanoTime();
            selfCheck(transformed, errors);
            long t4 = System.nanoTime();
            catchBlocks().installOn(instrumentation);
            long t5 = System.nanoTime();
            if (TIMING) {
                System.err.printf("graceful-shutdown-junit install (%s): bridge %d ms, builder %d ms, installOn %d ms, self-check %d ms, "
                        + "catch blocks %d ms, total %d ms%n", how, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                        (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000, (t5 - t0) / 1_000_000);
            }
            installed = true;
        } catch (RuntimeException | ReflectiveOperationException | IOException e) {
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
                Map.of("java.lang", Set.of(definer.getModule())), Set.of(), Map.of());
        return (Class<?>) definer.getMethod("define", byte[].class).invoke(null, (Object) bridge);
    }

    /** The JDK classes the agent instruments, loaded now if they are not yet. */
    private static final List<String> TARGETS = List.of("java.lang.Thread", "java.lang.Runtime",
            "java.util.concurrent.ThreadPoolExecutor", "java.util.concurrent.ThreadPoolExecutor$Worker",
            "java.util.concurrent.ScheduledThreadPoolExecutor", "java.util.concurrent.ForkJoinPool",
            "java.util.concurrent.ForkJoinTask", "java.util.concurrent.FutureTask", "java.lang.VirtualThread",
            "java.util.concurrent.CompletableFuture$AsyncSupply", "java.util.concurrent.CompletableFuture$AsyncRun",
            "java.lang.ApplicationShutdownHooks", "java.lang.Shutdown");

    /**
     * Loads the JDK targets first: a class first loaded during a retransformation can be skipped silently. Only
     * these, and the already loaded classes of the pool adapters' libraries, are retransformed (an explicit
     * discovery: no repeated walk over every loaded class); whatever loads later is instrumented as it loads.
     */
    private static Class<?>[] loadTargets(Instrumentation instrumentation) {
        List<Class<?>> loaded = new ArrayList<>();
        for (String name : TARGETS) {
            try {
                loaded.add(Class.forName(name, false, null));
            } catch (ClassNotFoundException absentOnThisJdk) {
                // java.lang.VirtualThread exists from JDK 19 (21 without preview) on
            }
        }
        List<String> libraries = new ArrayList<>();
        for (PoolAdapter adapter : PoolAdapter.ALL) {
            String[] parts = adapter.poolClass().split("\\.");
            libraries.add(parts[0] + "." + parts[1] + "."); // org.quartz. holds both SimpleThreadPool and JobRunShell
        }
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (type.getClassLoader() != null && instrumentation.isModifiableClass(type)) {
                for (String library : libraries) {
                    if (type.getName().startsWith(library)) {
                        loaded.add(type); // a library loaded before the first kit test (self-attach): its pool too
                        break;
                    }
                }
            }
        }
        return loaded.toArray(new Class<?>[0]);
    }

    private static AgentBuilder agentBuilder(Class<?> bridge, Class<?>[] targets, Set<String> transformed,
            Map<String, Throwable> errors)
            throws NoSuchFieldException {
        Advice.WithCustomMapping advice = Advice.withCustomMapping()
                .bind(Advices.Bridge.class, new FieldDescription.ForLoadedField(bridge.getField(BRIDGE_FIELD)))
                .bind(Advices.Capturing.class, new FieldDescription.ForLoadedField(bridge.getField(Bridge.CAPTURING)));
        boolean hasPoolSubmit = Arrays.stream(java.util.concurrent.ForkJoinPool.class.getDeclaredMethods())
                .anyMatch(m -> m.getName().equals("poolSubmit"));
        AgentBuilder jdk = new AgentBuilder.Default(BYTE_BUDDY)
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(targets))
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                .ignore(nameStartsWith("net.bytebuddy."))
                .with(new Recorder(transformed, errors))
                .type(named("java.lang.Thread"))
                .transform(visit(advice, Advices.ThreadStart.class, named("start")))
                .transform(visit(advice, Advices.ThreadInterrupt.class, named("interrupt").and(takesArguments(0))))
                .transform(visit(advice, Advices.ThreadUncaught.class, named("dispatchUncaughtException")))
                .transform(visit(advice, Advices.ThreadSetDaemon.class, named("setDaemon")))
                .transform(visit(advice, Advices.ThreadExit.class, named("exit").and(takesArguments(0))))
                .type(named("java.lang.ApplicationShutdownHooks"))
                .transform(visit(advice, Advices.JvmShutdown.class, named("runHooks")))
                .type(named("java.lang.Shutdown"))
                .transform(visit(advice, Advices.JvmShutdown.class, named("halt").and(takesArguments(1))))
                .transform(visit(advice, Advices.JvmHooksDone.class, named("runHooks")))
                .type(named("java.lang.VirtualThread"))
                .transform(visit(advice, Advices.ThreadStart.class, named("start")))
                .type(named("java.lang.Runtime"))
                .transform(visit(advice, Advices.AddShutdownHook.class, named("addShutdownHook")))
                .transform(visit(advice, Advices.RemoveShutdownHook.class, named("removeShutdownHook")))
                .transform(visit(advice, Advices.RuntimeExit.class, named("exit")))
                .transform(visit(advice, Advices.RuntimeHalt.class, named("halt")))
                .type(named("java.util.concurrent.ThreadPoolExecutor"))
                .transform(visit(advice, Advices.ExecutorCreated.class, isConstructor().and(takesArguments(7))))
                .transform(visit(advice, Advices.TaskSubmitted.class, named("execute")))
                .transform(visit(advice, Advices.TaskRejected.class, named("reject")))
                .transform(visit(advice, Advices.WorkerCreation.class, named("addWorker")))
                .transform(visit(advice, Advices.RunWorker.class, named("runWorker")))
                .transform(visit(advice, Advices.GetTask.class, named("getTask")))
                .transform(visit(advice, Advices.InterruptingIdleWorkers.class, named("interruptIdleWorkers").and(takesArguments(1))))
                .transform(visit(advice, Advices.ExecutorShutdown.class, named("shutdown").and(takesArguments(0))))
                .transform(visit(advice, Advices.ExecutorShutdownNow.class, named("shutdownNow")))
                .type(named("java.util.concurrent.ThreadPoolExecutor$Worker"))
                .transform(visit(advice, Advices.WorkerConstructed.class, isConstructor()))
                .type(named("java.util.concurrent.ScheduledThreadPoolExecutor"))
                .transform(visit(advice, Advices.TaskSubmitted.class, named("delayedExecute")))
                .type(named("java.util.concurrent.ForkJoinPool"))
                .transform(visit(advice, Advices.ExecutorCreated.class, isConstructor()))
                .transform(hasPoolSubmit
                        ? visit(advice, Advices.ForkJoinPoolSubmitted.class, named("poolSubmit").and(takesArguments(2)))
                        : visit(advice, Advices.ForkJoinSubmitted.class, named("externalSubmit").and(takesArguments(1))))
                .transform(visit(advice, Advices.WorkerCreation.class, named("createWorker")))
                // JDK 25+: delayed tasks (ForkJoinPool.schedule, CompletableFuture.delayedExecutor) wait in the pool itself
                .transform(visit(advice, Advices.TaskSubmitted.class, named("scheduleDelayedTask").and(takesArguments(1))))
                .transform(visit(advice, Advices.ExecutorShutdown.class, named("shutdown").and(takesArguments(0))))
                .transform(visit(advice, Advices.ExecutorShutdownNow.class, named("shutdownNow")))
                .type(named("java.util.concurrent.ForkJoinTask"))
                .transform(visit(advice, Advices.ForkJoinExec.class, named("doExec")))
                .transform(visit(advice, Advices.ForkedFromOutside.class, named("fork").and(takesArguments(0))))
                .transform(visit(advice, Advices.FutureCancelled.class, named("cancel").and(takesArguments(1))))
                .type(named("java.util.concurrent.CompletableFuture$AsyncSupply").or(named("java.util.concurrent.CompletableFuture$AsyncRun")))
                .transform(visit(advice, Advices.AsyncCompletion.class, named("run").and(takesArguments(0))))
                .type(named("java.util.concurrent.FutureTask"))
                .transform(visit(advice, Advices.FutureFailed.class, named("setException")))
                .transform(visit(advice, Advices.FutureCancelled.class, named("cancel")));
        for (PoolAdapter pool : PoolAdapter.ALL) {
            jdk = pool.instrument(jdk, advice);
        }
        return jdk;
    }

    /**
     * The application's catch blocks, in classes loaded now or later. A class that cannot be instrumented keeps
     * its code: the kit then does not see what that class catches, and nothing else changes.
     */
    private static AgentBuilder catchBlocks() {
        return new AgentBuilder.Default(BYTE_BUDDY)
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Reiterating.INSTANCE)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.REDEFINE)
                .type(CatchBlocks.usersClasses())
                .transform((builder, type, loader, module, protectionDomain) -> builder.visit(CatchBlocks.visitor()));
    }

    /**
     * The advice class applied to the matched methods. Parsing an advice class is the expensive part: it is done
     * once per advice class and mapping, not once per transformed type.
     */
    static AgentBuilder.Transformer visit(Advice.WithCustomMapping advice, Class<?> adviceClass,
            ElementMatcher<? super MethodDescription> methods) {
        return (builder, type, loader, module, protectionDomain) -> builder.visit(advice(advice, adviceClass).on(methods));
    }

    private static final Map<Advice.WithCustomMapping, Map<Class<?>, Advice>> ADVICE = new ConcurrentHashMap<>();

    private static Advice advice(Advice.WithCustomMapping mapping, Class<?> adviceClass) {
        return ADVICE.computeIfAbsent(mapping, m -> new ConcurrentHashMap<>()).computeIfAbsent(adviceClass, mapping::to);
    }

    /** Byte Buddy without validating the (unchanged-format) types it retransforms: the advice is checked by the build. */
    private static final ByteBuddy BYTE_BUDDY = new ByteBuddy().with(TypeValidation.DISABLED);

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

    private static final class Recorder extends AgentBuilder.Listener.Adapter {
        private final Set<String> transformed;
        private final Map<String, Throwable> errors;

        Recorder(Set<String> transformed, Map<String, Throwable> errors) {
            this.transformed = transformed;
            this.errors = errors;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                DynamicType dynamicType) {
            transformed.add(type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
            errors.put(typeName, throwable);
        }
    }

    /** Loads {@link BridgeDefiner} alone, so that opening {@code java.lang} reaches no other code. */
    private static final class IsolatedLoader extends ClassLoader {
        IsolatedLoader() {
            super("graceful-shutdown-bridge-definer", ClassLoader.getPlatformClassLoader());
        }

        Class<?> defineDefiner() throws IOException {
            String resource = BridgeDefiner.class.getName().replace('.', '/') + ".class";
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
