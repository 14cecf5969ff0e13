package dev.gracefulshutdown.internal.capture;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.asm.Advice;

/**
 * Where a framework catches the exception of the user's work and only logs it, so that the work looks as if it had
 * succeeded: each is reported like a catch block of the user's own code ({@link CatchBlocks}), as the failure of the
 * task that runs there.
 * <ul>
 * <li>Spring's {@code @Async} methods that return {@code void}: their exception goes to the
 * {@code AsyncUncaughtExceptionHandler}, which logs it ({@code AsyncExecutionAspectSupport.handleError}).</li>
 * <li>Spring's scheduled tasks: a repeating one's exception goes to {@code TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER}
 * (the default error handler of {@code @Scheduled} and of a {@code TaskScheduler}'s fixed rate or delay).</li>
 * <li>Reactor's schedulers: a task given to {@code Scheduler.schedule} that throws is handed to
 * {@code Schedulers.handleError}, which logs it.</li>
 * <li>Reactor's chains subscribed without an error consumer ({@code mono.subscribe()}, {@code subscribe(onNext)}):
 * their error goes to {@code Operators.onErrorDropped} as an {@code ErrorCallbackNotImplemented}, which is logged
 * ("Operator called default onErrorDropped") or handed to {@code Hooks.onErrorDropped}'s hook. Only that error counts,
 * as the user's exception inside it: an error dropped because the chain was cancelled first was no longer wanted.</li>
 * <li>RxJava's (3 and 2) global error handler, {@code RxJavaPlugins.onError}, which prints what it is given or hands
 * it to {@code RxJavaPlugins.setErrorHandler}'s handler: the error of a chain subscribed without an error consumer
 * ({@code OnErrorNotImplementedException}) is counted, as the user's own exception inside it. Not the other errors it
 * is given: a chain's error after the chain was disposed (its work was no longer wanted), or what a task given to a
 * scheduler threw (RxJava rethrows it to the scheduler's executor, where the kit sees it).</li>
 * <li>Vert.x's contexts (4 and 5): an exception thrown by a handler on an event loop or a worker
 * ({@code runOnContext}, a timer, a request handler) goes to {@code ContextImpl.reportException}, which hands it to
 * {@code Vertx.exceptionHandler} or logs it as "Unhandled exception".</li>
 * <li>Guava's {@code EventBus} (and {@code AsyncEventBus}) with its default exception handler: a subscriber's exception
 * goes to {@code EventBus$LoggingHandler}, which logs it (a handler of the application's own is its own catch).</li>
 * <li>The catch blocks of {@link #CATCHING}: Netty's {@code HashedWheelTimer} around a {@code TimerTask}, Netty's
 * {@code DefaultPromise.notifyListener0} around a future's listener ({@code channel.writeAndFlush(report).addListener(...)}),
 * Guava's {@code AbstractFuture.executeListener} around a listener or callback run on {@code directExecutor()}, and Jetty
 * 12's {@code ResponseListeners} around a response listener ({@code request.send(result -> save(result))}).</li>
 * <li>Netty's channel pipeline: an exception of a handler ({@code channelRead}) that no handler handles reaches the
 * pipeline's tail, {@code DefaultChannelPipeline.onUnhandledInboundException}, which logs it ("An exceptionCaught()
 * event was fired, and it reached at the tail of the pipeline"); the request it was reading is never answered.</li>
 * <li>Quartz's jobs: {@code JobRunShell} catches the job's exception, logs it, and completes the trigger (woven with
 * the rest of {@code JobRunShell}, by {@link QuartzJobAdapter}: a class takes one transformation).</li>
 * </ul>
 * A failure before the shutdown remains the application's business; a handler that then rethrows leaves the task
 * failed by what it threw. Only what the user's code threw counts ({@link #thrownByUsersCode}): these catches also end a
 * library's own listeners, timer tasks and codecs, whose failures are the library's business.
 */
final class SwallowedFailures {

    private static final String SPRING_ASYNC = "org.springframework.aop.interceptor.AsyncExecutionAspectSupport";
    private static final String SPRING_LOGGING_HANDLER = "org.springframework.scheduling.support.TaskUtils$LoggingErrorHandler";
    private static final String REACTOR_SCHEDULERS = "reactor.core.scheduler.Schedulers";
    private static final String REACTOR_OPERATORS = "reactor.core.publisher.Operators";
    /** Reactor's wrapper of the error of a chain subscribed without an error consumer. */
    private static final String REACTOR_UNHANDLED = "reactor.core.Exceptions$ErrorCallbackNotImplemented";
    private static final String RXJAVA3_PLUGINS = "io.reactivex.rxjava3.plugins.RxJavaPlugins";
    private static final String RXJAVA2_PLUGINS = "io.reactivex.plugins.RxJavaPlugins";
    private static final String VERTX_CONTEXT = "io.vertx.core.impl.ContextImpl";
    /** Guava's {@code EventBus}'s default {@code SubscriberExceptionHandler}: a subscriber's exception is logged. */
    private static final String GUAVA_EVENT_BUS_LOGGING = "com.google.common.eventbus.EventBus$LoggingHandler";
    /** Netty's future: {@code notifyListener0} runs a listener, and logs what it throws. */
    static final String NETTY_PROMISE = "io.netty.util.concurrent.DefaultPromise";
    /** Netty's channel pipeline, whose tail logs an exception no handler handled. */
    private static final String NETTY_PIPELINE = "io.netty.channel.DefaultChannelPipeline";
    /** Where Netty calls a handler, and catches what it throws to fire it down the pipeline as {@code exceptionCaught}. */
    private static final String NETTY_HANDLER_CALLS = "io.netty.channel.AbstractChannelHandlerContext";
    /** RxJava's wrapper of the error of a chain subscribed without an error consumer (3 and 2). */
    private static final List<String> RXJAVA_UNHANDLED = List.of("io.reactivex.rxjava3.exceptions.OnErrorNotImplementedException",
            "io.reactivex.exceptions.OnErrorNotImplementedException");

    private SwallowedFailures() {
    }

    /** The classes instrumented (binary names), loaded by the application's class loaders. */
    static final List<String> CLASSES = List.of(SPRING_ASYNC, SPRING_LOGGING_HANDLER, REACTOR_SCHEDULERS, REACTOR_OPERATORS,
            RXJAVA3_PLUGINS, RXJAVA2_PLUGINS, VERTX_CONTEXT, GUAVA_EVENT_BUS_LOGGING, NETTY_PIPELINE);

    private static final String RXJAVA_HANDLER = "RxJava's RxJavaPlugins.onError (the error of a chain without an error "
            + "consumer is printed, or handed to RxJavaPlugins.setErrorHandler's handler)";

    /** A library's methods whose catch blocks end the user's work and only log what they caught, and that, in words. */
    private record LibraryCatch(Set<String> methods, String inWords) {
    }

    /**
     * The libraries' methods whose catch blocks end the user's work and only log what they caught (by binary class
     * name): each typed catch block in them reports its exception as a catch of the user's would ({@link CatchBlocks}),
     * and {@link #libraryCatch} says it in words.
     */
    private static final Map<String, LibraryCatch> CATCHING = Map.of(
            NettyTimerAdapter.TIMEOUT, new LibraryCatch(Set.of("run"),
                    "Netty's HashedWheelTimer (a TimerTask's exception is logged as \"An exception was thrown by TimerTask.\")"),
            Weaver.GUAVA_FUTURE, new LibraryCatch(Set.of("executeListener"), "Guava's AbstractFuture (the exception of a "
                    + "listener or callback run on directExecutor() is logged as \"RuntimeException while executing runnable\")"),
            NETTY_PROMISE, new LibraryCatch(Set.of("notifyListener0"), "Netty's DefaultPromise (a listener's exception is "
                    + "logged as \"An exception was thrown by ....operationComplete()\")"),
            HttpExchanges.JETTY_LISTENERS, new LibraryCatch(Set.of("notifyBegin", "notifyHeader", "notifyHeaders",
                    "notifyContentSource", "notifySuccess", "notifyFailure", "notifyComplete"), "Jetty's HttpClient (a "
                    + "response listener's exception is logged at INFO as \"Exception while notifying listener\")"),
            HttpExchanges.ASYNC_HTTP_FUTURE, new LibraryCatch(Set.of("loadContent"), "AsyncHttpClient's NettyResponseFuture "
                    + "(the exception of the handler's onCompleted is kept by the exchange's future, for a get() that may "
                    + "never come)"));

    /** The methods of a library's class (binary name) whose catch blocks end the user's work; {@code null} if none. */
    static Set<String> catchingMethods(String className) {
        LibraryCatch place = CATCHING.get(className);
        return place == null ? null : place.methods();
    }

    /**
     * A catch block of {@link #CATCHING}, at {@code where} (as {@link CatchBlocks} reports it: the class, the method,
     * then the line), in words, when what it caught came out of the user's code (the user's timer task or listener);
     * else {@code null}.
     */
    static String libraryCatch(Throwable failure, String where) {
        int call = where == null ? -1 : where.indexOf('(');
        int dot = call < 0 ? -1 : where.lastIndexOf('.', call);
        if (dot < 0) {
            return null;
        }
        String type = where.substring(0, dot);
        LibraryCatch place = CATCHING.get(type);
        return place != null && place.methods().contains(where.substring(dot + 1, call)) && thrownByUsersCode(failure, type)
                ? place.inWords() : null;
    }

    /**
     * Whether {@code failure} came out of the user's code: a frame of the user's above the first frame of
     * {@code catchingClass} (or of a class nested in it), where the library called it. A library's own listener or
     * codec that threw, called from a library's code, is the library's failure, even with the user's code further down.
     */
    static boolean thrownByUsersCode(Throwable failure, String catchingClass) {
        for (StackTraceElement frame : failure.getStackTrace()) {
            String type = frame.getClassName();
            if (type.equals(catchingClass) || type.startsWith(catchingClass) && type.charAt(catchingClass.length()) == '$') {
                return false;
            }
            if (StackFrames.isUserFrame(frame)) {
                return true;
            }
        }
        return false;
    }

    /** The error handlers {@link Advices.FrameworkErrorLogged} reports by their class, as messages say them. */
    private static final Map<String, String> HANDLERS = Map.of(
            SPRING_LOGGING_HANDLER, "Spring's TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER (a scheduled task's exception is logged)",
            REACTOR_SCHEDULERS, "Reactor's Schedulers.handleError (a scheduled task's exception is logged, or handed to "
                    + "the Schedulers.onHandleError hook)",
            REACTOR_OPERATORS, "Reactor's Operators.onErrorDropped (the error of a chain subscribed without an error consumer "
                    + "is logged, or handed to the Hooks.onErrorDropped hook)",
            RXJAVA3_PLUGINS, RXJAVA_HANDLER,
            RXJAVA2_PLUGINS, RXJAVA_HANDLER,
            VERTX_CONTEXT, "Vert.x's context (a handler's exception is handed to Vertx.exceptionHandler, or logged as "
                    + "\"Unhandled exception\")",
            GUAVA_EVENT_BUS_LOGGING, "Guava's EventBus (a subscriber's exception goes to the bus's default "
                    + "SubscriberExceptionHandler, which logs it)",
            NETTY_PIPELINE, "Netty's channel pipeline (an exception no handler handled reaches the pipeline's tail, which "
                    + "logs it as \"An exceptionCaught() event was fired, and it reached at the tail of the pipeline\")");

    /**
     * A failure a framework caught and kept, at a place in words or an error handler's class: the failure of the
     * task the thread runs (RxJava's: only the error of a chain without an error consumer).
     */
    static void swallowed(Throwable failure, String handlerOrPlace) {
        Throwable lost = RXJAVA3_PLUGINS.equals(handlerOrPlace) || RXJAVA2_PLUGINS.equals(handlerOrPlace)
                ? unhandled(failure, RXJAVA_UNHANDLED)
                : REACTOR_OPERATORS.equals(handlerOrPlace) ? unhandled(failure, List.of(REACTOR_UNHANDLED))
                : NETTY_PIPELINE.equals(handlerOrPlace) ? thrownByAHandlerOfTheUsers(failure) : failure;
        if (lost != null) {
            ThreadEvents.swallowed(lost, HANDLERS.getOrDefault(handlerOrPlace, handlerOrPlace));
        }
    }

    /** A handler's exception that reached the pipeline's tail, if one of the user's handlers threw it; else {@code null}. */
    private static Throwable thrownByAHandlerOfTheUsers(Throwable failure) {
        return failure != null && thrownByUsersCode(failure, NETTY_HANDLER_CALLS) ? failure : null;
    }

    /**
     * The user's exception of a chain that had no error consumer (inside the library's wrapper of it, one of
     * {@code wrappers}), or {@code null} for the library's other errors.
     */
    private static Throwable unhandled(Throwable failure, List<String> wrappers) {
        if (failure == null || !wrappers.contains(failure.getClass().getName())) {
            return null;
        }
        return failure.getCause() != null ? failure.getCause() : failure;
    }

    static Weaver.Rules instrument(Weaver.Rules rules, Advice.WithCustomMapping advice) {
        return rules
                .type(SPRING_ASYNC)
                .transform(Weaver.visit(advice, Advices.SpringAsyncErrorHandled.class,
                        named("handleError").and(takesArgument(0, Throwable.class)).and(takesArgument(1, java.lang.reflect.Method.class))))
                .type(SPRING_LOGGING_HANDLER)
                .transform(Weaver.visit(advice, Advices.FrameworkErrorLogged.class,
                        named("handleError").and(takesArguments(Throwable.class))))
                .type(REACTOR_SCHEDULERS)
                .transform(Weaver.visit(advice, Advices.FrameworkErrorLogged.class,
                        named("handleError").and(takesArguments(Throwable.class))))
                .type(REACTOR_OPERATORS)
                .transform(Weaver.visit(advice, Advices.FrameworkErrorLogged.class, named("onErrorDropped").and(takesArguments(2))
                        .and(takesArgument(0, Throwable.class))))
                .type(RXJAVA3_PLUGINS, RXJAVA2_PLUGINS)
                .transform(Weaver.visit(advice, Advices.FrameworkErrorLogged.class,
                        named("onError").and(takesArguments(Throwable.class))))
                .type(VERTX_CONTEXT)
                .transform(Weaver.visit(advice, Advices.FrameworkErrorLogged.class,
                        named("reportException").and(takesArguments(Throwable.class))))
                .type(GUAVA_EVENT_BUS_LOGGING)
                .transform(Weaver.visit(advice, Advices.FrameworkErrorLogged.class,
                        named("handleException").and(takesArguments(2)).and(takesArgument(0, Throwable.class))))
                .type(NETTY_PIPELINE)
                .transform(Weaver.visit(advice, Advices.FrameworkErrorLogged.class,
                        named("onUnhandledInboundException").and(takesArguments(Throwable.class))));
    }
}
