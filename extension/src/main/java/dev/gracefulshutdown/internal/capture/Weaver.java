package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.security.ProtectionDomain;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * The advice woven into the JDK's classes and the pool adapters' libraries, with Byte Buddy's agent builder: what
 * each class gets, and the one place that loads Byte Buddy beyond its ASM. {@link KitTransformer} asks it for the
 * bytes of a class only when they are not in the {@link TransformCache} (the JDK's classes), or when a pool adapter's
 * library class loads; a JVM whose JDK classes are cached and that runs no such library never loads this class.
 */
final class Weaver {

    private final ClassFileTransformer transformer;
    private final Map<String, Throwable> errors = new ConcurrentHashMap<>();

    private Weaver(Class<?> bridge) throws NoSuchFieldException {
        System.setProperty("net.bytebuddy.safe", "true");
        transformer = agentBuilder(bridge, errors).makeRaw();
    }

    private static volatile Weaver instance;

    /** The weaver of this JVM, built at its first use (about a thousand Byte Buddy classes). */
    static Weaver get(Class<?> bridge) {
        Weaver weaver = instance;
        if (weaver == null) {
            synchronized (Weaver.class) {
                weaver = instance;
                if (weaver == null) {
                    try {
                        weaver = new Weaver(bridge);
                    } catch (NoSuchFieldException e) {
                        throw new IllegalStateException("the bridge has no field " + e.getMessage(), e);
                    }
                    instance = weaver;
                }
            }
        }
        return weaver;
    }

    /** The woven class file, or {@code null} when nothing applies; a failure is thrown, not swallowed. */
    byte[] weave(Module module, ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
            byte[] classFile) throws IllegalClassFormatException {
        String name = internalName.replace('/', '.');
        errors.remove(name);
        byte[] woven = transformer.transform(module, loader, internalName, redefined, domain, classFile);
        Throwable error = errors.remove(name);
        if (error != null) {
            throw new IllegalStateException("instrumenting " + name + " failed: " + error, error);
        }
        return woven;
    }

    private static AgentBuilder agentBuilder(Class<?> bridge, Map<String, Throwable> errors)
            throws NoSuchFieldException {
        Advice.WithCustomMapping advice = Advice.withCustomMapping()
                .bind(Advices.Bridge.class, new FieldDescription.ForLoadedField(bridge.getField(Bridge.DISPATCHER)))
                .bind(Advices.Capturing.class, new FieldDescription.ForLoadedField(bridge.getField(Bridge.CAPTURING)));
        boolean hasPoolSubmit = Arrays.stream(java.util.concurrent.ForkJoinPool.class.getDeclaredMethods())
                .anyMatch(m -> m.getName().equals("poolSubmit"));
        AgentBuilder jdk = new AgentBuilder.Default(BYTE_BUDDY)
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .ignore(nameStartsWith("net.bytebuddy."))
                .with(new Recorder(errors))
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
                .transform(visit(advice, Advices.WorkerExits.class, named("processWorkerExit").and(takesArguments(2))))
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
                .type(named("jdk.internal.net.http.HttpClientImpl"))
                .transform(visit(advice, Advices.ExchangeSent.class, named("sendAsync").and(takesArguments(3))
                        .and(net.bytebuddy.matcher.ElementMatchers.isPublic())))
                .type(named("java.util.Timer"))
                .transform(visit(advice, Advices.TimerScheduled.class, named("sched").and(takesArguments(3))))
                .type(named("java.util.concurrent.FutureTask"))
                .transform(visit(advice, Advices.FutureFailed.class, named("setException")))
                .transform(visit(advice, Advices.FutureCancelled.class, named("cancel")));
        for (PoolAdapter pool : PoolAdapter.ALL) {
            jdk = pool.instrument(jdk, advice);
        }
        jdk = SwallowedFailures.instrument(jdk, advice);
        return jdk;
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

    /**
     * Byte Buddy without validating the (unchanged-format) types it retransforms (the advice is checked by the build),
     * and looking only at each class's own methods ({@code DECORATE} above, {@code ForDeclaredMethods} here): the advice
     * goes into declared methods only, so the method graph of every super type is never built. The woven code is the
     * same; computing it costs 0.85x (JDK 17) and 0.77x (JDK 25) of what it did, in a JVM with nothing cached.
     */
    private static final ByteBuddy BYTE_BUDDY = new ByteBuddy().with(TypeValidation.DISABLED)
            .with(net.bytebuddy.dynamic.scaffold.MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);

    /** Keeps what Byte Buddy's listener is told of a failure, which {@link #weave} then throws. */
    private static final class Recorder extends AgentBuilder.Listener.Adapter {
        private final Map<String, Throwable> errors;

        Recorder(Map<String, Throwable> errors) {
            this.errors = errors;
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
            errors.put(typeName, throwable);
        }
    }
}
