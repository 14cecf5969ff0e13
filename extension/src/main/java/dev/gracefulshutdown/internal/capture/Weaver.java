package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * The advice woven into the JDK's classes and the pool adapters' libraries, with Byte Buddy: what each class gets
 * ({@link Rules}), and the one place that loads Byte Buddy beyond its ASM. {@link KitTransformer} asks it for the bytes
 * of a class only when they are not in the {@link TransformCache}; a JVM whose classes are all cached never builds
 * it.
 *
 * <p>Byte Buddy decorates each class (its declared methods only, no class format change) and inlines the advice,
 * as its agent builder would with {@code disableClassFormatChanges()} and {@code TypeStrategy.Default.DECORATE}, but
 * without the agent builder: the kit is its own transformer ({@link KitTransformer}), and the agent builder's own
 * start (a transformer class it generates, its injection machinery) was a large part of the weaving in a JVM with
 * nothing cached. Each advice class is read from its class file (no reflection, no annotation proxies) when a class
 * first needs it. The woven bytes are the same as the agent builder's (compared byte for byte, every JDK class and
 * library class the kit instruments, JDK 17 and 25); computing them costs about 0.85 of what it did.
 */
final class Weaver {

    /**
     * Guava's futures ({@code ListenableFutureTask}, what {@code MoreExecutors.listeningDecorator(...).submit} runs):
     * like a {@code FutureTask}, the task keeps its failure in itself ({@code setException}), and the executor sees it
     * return normally.
     */
    static final String GUAVA_FUTURE = "com.google.common.util.concurrent.AbstractFuture"; // a constant: naming it loads no Weaver

    private final Map<String, List<AsmVisitorWrapper>> rules;

    private Weaver(Class<?> bridge) throws NoSuchFieldException {
        System.setProperty("net.bytebuddy.safe", "true");
        rules = rules(bridge).byType;
    }

    private static volatile Weaver instance;

    /** The weaver of this JVM, built at its first use. */
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

    /**
     * The woven class file, or {@code null} when no advice applies to the class; a failure is thrown, not swallowed.
     * A class being retransformed is described as loaded, one loading from its class file (Byte Buddy's hybrid
     * description); the types it refers to are read from its class loader.
     */
    byte[] weave(Module module, ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
            byte[] classFile) {
        String name = internalName.replace('/', '.');
        List<AsmVisitorWrapper> advice = rules.get(name);
        if (advice == null) {
            return null;
        }
        try {
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                    ClassFileLocator.ForClassLoader.of(loader));
            TypePool pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(), locator,
                    TypePool.Default.ReaderMode.FAST);
            TypeDescription type = redefined == null ? pool.describe(name).resolve() : TypeDescription.ForLoadedType.of(redefined);
            DynamicType.Builder<?> builder = BYTE_BUDDY.decorate(type, locator);
            for (AsmVisitorWrapper visitor : advice) {
                builder = builder.visit(visitor);
            }
            return builder.make(TypeResolutionStrategy.Disabled.INSTANCE, pool).getBytes();
        } catch (RuntimeException | LinkageError failed) {
            throw new IllegalStateException("instrumenting " + name + " failed: " + failed, failed);
        }
    }

    private static Rules rules(Class<?> bridge) throws NoSuchFieldException {
        Advice.WithCustomMapping advice = Advice.withCustomMapping()
                .bind(Advices.Bridge.class, new FieldDescription.ForLoadedField(bridge.getField(Bridge.DISPATCHER)))
                .bind(Advices.Capturing.class, new FieldDescription.ForLoadedField(bridge.getField(Bridge.CAPTURING)));
        boolean hasPoolSubmit = Arrays.stream(java.util.concurrent.ForkJoinPool.class.getDeclaredMethods())
                .anyMatch(m -> m.getName().equals("poolSubmit"));
        Rules rules = new Rules()
                .type("java.lang.Thread")
                .transform(visit(advice, Advices.ThreadStart.class, named("start")))
                .transform(visit(advice, Advices.ThreadInterrupt.class, named("interrupt").and(takesArguments(0))))
                .transform(visit(advice, Advices.ThreadUncaught.class, named("dispatchUncaughtException")))
                .transform(visit(advice, Advices.ThreadSetDaemon.class, named("setDaemon")))
                .transform(visit(advice, Advices.ThreadExit.class, named("exit").and(takesArguments(0))))
                .type("java.lang.ApplicationShutdownHooks")
                .transform(visit(advice, Advices.JvmShutdown.class, named("runHooks")))
                .type("java.lang.Shutdown")
                .transform(visit(advice, Advices.JvmShutdown.class, named("halt").and(takesArguments(1))))
                .transform(visit(advice, Advices.JvmHooksDone.class, named("runHooks")))
                .type("java.lang.VirtualThread")
                .transform(visit(advice, Advices.ThreadStart.class, named("start")))
                .type("java.lang.Runtime")
                .transform(visit(advice, Advices.AddShutdownHook.class, named("addShutdownHook")))
                .transform(visit(advice, Advices.RemoveShutdownHook.class, named("removeShutdownHook")))
                .transform(visit(advice, Advices.RuntimeExit.class, named("exit")))
                .transform(visit(advice, Advices.RuntimeHalt.class, named("halt")))
                .type("java.util.concurrent.ThreadPoolExecutor")
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
                .type("java.util.concurrent.ThreadPoolExecutor$Worker")
                .transform(visit(advice, Advices.WorkerConstructed.class, isConstructor()))
                .type("java.util.concurrent.ScheduledThreadPoolExecutor")
                .transform(visit(advice, Advices.TaskSubmitted.class, named("delayedExecute")))
                .type("java.util.concurrent.ForkJoinPool")
                .transform(visit(advice, Advices.ExecutorCreated.class, isConstructor()))
                .transform(hasPoolSubmit
                        ? visit(advice, Advices.ForkJoinPoolSubmitted.class, named("poolSubmit").and(takesArguments(2)))
                        : visit(advice, Advices.ForkJoinSubmitted.class, named("externalSubmit").and(takesArguments(1))))
                .transform(visit(advice, Advices.WorkerCreation.class, named("createWorker")))
                // JDK 25+: delayed tasks (ForkJoinPool.schedule, CompletableFuture.delayedExecutor) wait in the pool itself
                .transform(visit(advice, Advices.TaskSubmitted.class, named("scheduleDelayedTask").and(takesArguments(1))))
                .transform(visit(advice, Advices.ExecutorShutdown.class, named("shutdown").and(takesArguments(0))))
                .transform(visit(advice, Advices.ExecutorShutdownNow.class, named("shutdownNow")))
                .type("java.util.concurrent.ForkJoinTask")
                .transform(visit(advice, Advices.ForkJoinExec.class, named("doExec")))
                .transform(visit(advice, Advices.ForkedFromOutside.class, named("fork").and(takesArguments(0))))
                .transform(visit(advice, Advices.FutureCancelled.class, named("cancel").and(takesArguments(1))))
                .type("java.util.concurrent.CompletableFuture")
                .transform(visit(advice, Advices.StageFailed.class, named("encodeThrowable").and(takesArguments(Throwable.class))))
                .type("java.util.concurrent.CompletableFuture$AsyncSupply", "java.util.concurrent.CompletableFuture$AsyncRun")
                .transform(visit(advice, Advices.AsyncCompletion.class, named("run").and(takesArguments(0))))
                .type("jdk.internal.net.http.HttpClientImpl")
                .transform(visit(advice, Advices.ExchangeSent.class, named("sendAsync").and(takesArguments(3))
                        .and(net.bytebuddy.matcher.ElementMatchers.isPublic())))
                .type("java.util.Timer")
                .transform(visit(advice, Advices.TimerScheduled.class, named("sched").and(takesArguments(3))))
                .type("java.util.concurrent.FutureTask")
                .transform(visit(advice, Advices.FutureFailed.class, named("setException")))
                .transform(visit(advice, Advices.FutureCancelled.class, named("cancel")))
                .type(GUAVA_FUTURE)
                .transform(visit(advice, Advices.FutureFailed.class, named("setException").and(takesArguments(Throwable.class))))
                .type(HttpExchanges.APACHE_ASYNC_CLIENT)
                .transform(visit(advice, Advices.ProducerExchangeSent.class, named("execute").and(takesArguments(5))
                        .and(takesArgument(0, named(HttpExchanges.APACHE_REQUEST_PRODUCER)))))
                .transform(visit(advice, Advices.ProducerToHostExchangeSent.class, named("execute").and(takesArguments(6))
                        .and(takesArgument(1, named(HttpExchanges.APACHE_REQUEST_PRODUCER)))))
                .type(HttpExchanges.JETTY_REQUEST)
                .transform(visit(advice, Advices.ListenerExchangeSent.class, named("send").and(takesArguments(1))
                        .and(takesArgument(0, named(HttpExchanges.JETTY_COMPLETE_LISTENER)))))
                .type(HttpExchanges.ASYNC_HTTP_CLIENT)
                .transform(visit(advice, Advices.ExchangeSent.class, named("executeRequest").and(takesArguments(2))
                        .and(takesArgument(0, named(HttpExchanges.ASYNC_HTTP_REQUEST)))))
                .type(HttpExchanges.JETTY_LISTENERS)
                .transform(visit(advice, Advices.ExchangeListenerNotified.class, named("notifyComplete").and(takesArguments(2))
                        .and(takesArgument(0, named(HttpExchanges.JETTY_COMPLETE_LISTENER)))))
                .type(HttpExchanges.ASYNC_HTTP_FUTURE)
                .transform(visit(advice, Advices.ExchangeFutureCompleting.class, named("done").and(takesArguments(0))))
                .type(HttpExchanges.REACTOR_NETTY_HANDLER)
                .transform(visit(advice, Advices.ExchangeSubscribed.class, isConstructor()))
                .transform(visit(advice, Advices.ExchangeRetried.class, named("test").and(takesArguments(Throwable.class))))
                .type(HttpExchanges.REACTOR_NETTY_OBSERVER)
                .transform(visit(advice, Advices.ExchangeAttempt.class, isConstructor()))
                .transform(visit(advice, Advices.ExchangeConnectionState.class, named("onStateChange").and(takesArguments(2))))
                .type(HttpExchanges.REACTOR_NETTY_OPERATIONS)
                .transform(visit(advice, Advices.ExchangeFutureCompleting.class, named("onInboundComplete").and(takesArguments(0))))
                .type(HttpExchanges.REACTOR_SINK)
                .transform(visit(advice, Advices.SinkCancelled.class, named("cancel").and(takesArguments(0))))
                .type(HttpExchanges.APACHE_FUTURE)
                .transform(visit(advice, Advices.ExchangeFutureCompleting.class, named("completed").and(takesArguments(1))
                        .or(named("failed").and(takesArguments(Exception.class))).or(named("cancelled").and(takesArguments(0)))));
        for (PoolAdapter pool : PoolAdapter.ALL) {
            rules = pool.instrument(rules, advice);
        }
        return SwallowedFailures.instrument(rules, advice);
    }

    /**
     * Which advice goes into which class: {@code type(...)} names classes, each {@code transform(...)} after it adds
     * advice on some of their methods. A class gets the advice of every {@code type(...)} that names it, in order.
     */
    static final class Rules {
        private final Map<String, List<AsmVisitorWrapper>> byType = new HashMap<>();
        private List<String> current = List.of();

        /** The classes (binary names) the next {@link #transform}s apply to. */
        Rules type(String... names) {
            current = List.of(names);
            return this;
        }

        Rules transform(AsmVisitorWrapper advice) {
            if (current.isEmpty()) {
                throw new IllegalStateException("advice for no class: call type(...) first");
            }
            for (String name : current) {
                byType.computeIfAbsent(name, n -> new ArrayList<>()).add(advice);
            }
            return this;
        }
    }

    /**
     * The advice class applied to the matched methods. Parsing an advice class is the expensive part: it is done
     * once per advice class and mapping, not once per transformed type.
     */
    static AsmVisitorWrapper visit(Advice.WithCustomMapping advice, Class<?> adviceClass,
            ElementMatcher<? super MethodDescription> methods) {
        return new Parsed(() -> advice(advice, adviceClass).on(methods));
    }

    /**
     * Advice parsed when a class needs it: a library's advice (a server's pool, a framework's error handler) only in
     * a JVM where the library's class loads.
     */
    private static final class Parsed implements AsmVisitorWrapper {
        private final java.util.function.Supplier<AsmVisitorWrapper> parse;
        private volatile AsmVisitorWrapper parsed;

        Parsed(java.util.function.Supplier<AsmVisitorWrapper> parse) {
            this.parse = parse;
        }

        private AsmVisitorWrapper parsed() {
            AsmVisitorWrapper advice = parsed;
            if (advice == null) {
                advice = parse.get();
                parsed = advice;
            }
            return advice;
        }

        @Override
        public int mergeWriter(int flags) {
            return parsed().mergeWriter(flags);
        }

        @Override
        public int mergeReader(int flags) {
            return parsed().mergeReader(flags);
        }

        @Override
        public net.bytebuddy.jar.asm.ClassVisitor wrap(TypeDescription type, net.bytebuddy.jar.asm.ClassVisitor visitor,
                Implementation.Context context, TypePool pool,
                net.bytebuddy.description.field.FieldList<FieldDescription.InDefinedShape> fields,
                net.bytebuddy.description.method.MethodList<?> methods, int writerFlags, int readerFlags) {
            return parsed().wrap(type, visitor, context, pool, fields, methods, writerFlags, readerFlags);
        }
    }

    private static final Map<Advice.WithCustomMapping, Map<Class<?>, Advice>> ADVICE = new ConcurrentHashMap<>();
    /** The advice classes, read from their class files rather than by reflection (no annotation proxies to make). */
    private static final ClassFileLocator ADVICE_FILES = ClassFileLocator.ForClassLoader.of(Weaver.class.getClassLoader());
    private static final TypePool ADVICE_TYPES = TypePool.Default.of(ADVICE_FILES);

    private static Advice advice(Advice.WithCustomMapping mapping, Class<?> adviceClass) {
        return ADVICE.computeIfAbsent(mapping, m -> new ConcurrentHashMap<>()).computeIfAbsent(adviceClass,
                type -> mapping.to(ADVICE_TYPES.describe(type.getName()).resolve(), ADVICE_FILES));
    }

    /**
     * Byte Buddy without validating the (unchanged-format) types it decorates (the advice is checked by the build), with
     * no class format change (no added fields or methods: a retransformed class may not have any), and looking only at
     * each class's own methods: the advice goes into declared methods only, so the method graph of every super type is
     * never built.
     */
    private static final ByteBuddy BYTE_BUDDY = new ByteBuddy().with(TypeValidation.DISABLED)
            .with(Implementation.Context.Disabled.Factory.INSTANCE)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
}
