package dev.gracefulshutdown.internal.capture;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.function.Function;
import net.bytebuddy.asm.Advice;

/**
 * The advice inlined into JDK classes. Inlined code runs inside {@code java.lang.Thread},
 * {@code ThreadPoolExecutor} and friends, so it may only use JDK types: each method receives the
 * bootstrap-visible bridge ({@link Bridge}) and passes an event to it. Everything else happens in
 * {@link Dispatcher}, outside the JDK classes.
 *
 * <p>The frequent events (threads, tasks, pools) first read {@link Capturing}, one volatile boolean: while nothing
 * is being captured they allocate nothing and call nothing, so the instrumented JDK runs at its own speed. An
 * advice with an enter and an exit whose exit undoes what the enter did reports its exit only when its enter was
 * reported ({@code @Advice.Enter}), so a scope opening or closing in between cannot unbalance them. Always reported:
 * hooks, exits and halts, the JVM's own shutdown, uncaught exceptions (a retired thread's exit is refused even
 * with no scope open), and the spans that must stay balanced on every thread: worker creation and idle interrupts.
 */
final class Advices {

    private Advices() {
    }

    /** Binds the static field of the bootstrap bridge class that holds the {@link Dispatcher}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Bridge {
    }

    /** Binds the bridge's {@code capturing} flag: is a scope open, or does this JVM really shut down? */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Capturing {
    }

    static final class ThreadStart {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Thread thread, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.THREAD_START, thread});
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Thread thread, @Advice.Thrown Throwable thrown,
                @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && thrown != null) {
                bridge.apply(new Object[] {Events.THREAD_START_FAILED, thread});
            }
        }
    }

    /** {@code Thread.exit()}: the VM calls it on a thread that is about to end. */
    static final class ThreadExit {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Thread thread, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.THREAD_EXIT, thread});
            }
        }
    }

    /** {@code ApplicationShutdownHooks.runHooks()} and {@code Shutdown.halt(int)}: the real JVM's shutdown. */
    static final class JvmShutdown {
        @Advice.OnMethodEnter
        static void enter(@Advice.Origin("#m") String method, @Bridge Function<Object[], Object> bridge) {
            if (bridge != null) {
                bridge.apply(new Object[] {"halt".equals(method) ? Events.JVM_HALT : Events.JVM_RUN_HOOKS});
            }
        }
    }

    /** {@code Shutdown.runHooks()} returns: every hook has ended; the real JVM exits or halts right after. */
    static final class JvmHooksDone {
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Bridge Function<Object[], Object> bridge) {
            if (bridge != null) {
                bridge.apply(new Object[] {Events.JVM_HOOKS_DONE});
            }
        }
    }

    static final class ThreadSetDaemon {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Thread thread, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.THREAD_DAEMON, thread});
            }
        }
    }

    static final class ThreadInterrupt {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Thread thread, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.THREAD_INTERRUPT, thread});
            }
        }
    }

    /** Records uncaught exceptions; skips the default printing for the kit's own halt error. */
    static final class ThreadUncaught {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.This Thread thread, @Advice.Argument(0) Throwable error,
                @Bridge Function<Object[], Object> bridge) {
            return bridge != null && bridge.apply(new Object[] {Events.THREAD_UNCAUGHT, thread, error}) == Boolean.TRUE;
        }
    }

    static final class AddShutdownHook {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Advice.Argument(0) Thread hook, @Bridge Function<Object[], Object> bridge) {
            return bridge != null && bridge.apply(new Object[] {Events.HOOK_ADD, hook}) == Boolean.TRUE;
        }
    }

    static final class RemoveShutdownHook {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Boolean enter(@Advice.Argument(0) Thread hook, @Bridge Function<Object[], Object> bridge) {
            return bridge == null ? null : (Boolean) bridge.apply(new Object[] {Events.HOOK_REMOVE, hook});
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter Boolean captured, @Advice.Return(readOnly = false) boolean removed) {
            if (captured != null) {
                removed = captured.booleanValue();
            }
        }
    }

    static final class RuntimeExit {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) int status, @Bridge Function<Object[], Object> bridge) {
            if (bridge != null) {
                bridge.apply(new Object[] {Events.RUNTIME_EXIT, Integer.valueOf(status)});
            }
        }
    }

    static final class RuntimeHalt {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) int status, @Bridge Function<Object[], Object> bridge) {
            if (bridge != null) {
                bridge.apply(new Object[] {Events.RUNTIME_HALT, Integer.valueOf(status)});
            }
        }
    }

    static final class ExecutorCreated {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object executor, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.EXECUTOR_CREATED, executor});
            }
        }
    }

    /** {@code ThreadPoolExecutor.execute}, {@code ScheduledThreadPoolExecutor.delayedExecute}. */
    static final class TaskSubmitted {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object executor, @Advice.Argument(0) Object task,
                @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_SUBMIT, executor, task});
            }
        }
    }

    /**
     * A pool's wrapper, created by {@code execute} for the task it was handed (JBoss Threads'
     * {@code EnhancedQueueExecutor$Task}, an inner class whose first argument is its pool): the wrapper is what the pool
     * queues and runs, so it is the task submitted.
     */
    static final class WrapperSubmitted {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object task, @Advice.Argument(0) Object executor, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_SUBMIT, executor, task});
            }
        }
    }

    /** Netty's {@code scheduleFromEventLoop(task)}: a task scheduled on an event loop from the loop itself. */
    static final class ScheduledFromItsLoop {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object executor, @Advice.Argument(0) Object task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_SCHEDULED_FROM_LOOP, executor, task});
            }
        }
    }

    /** {@code ForkJoinPool.externalSubmit(task)} (JDK 17): the task is the only argument. */
    static final class ForkJoinSubmitted {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object pool, @Advice.Argument(0) Object task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_SUBMIT, pool, task});
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object pool, @Advice.Argument(0) Object task, @Advice.Thrown Throwable thrown,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && thrown instanceof java.util.concurrent.RejectedExecutionException) {
                bridge.apply(new Object[] {Events.TASK_REJECT, pool, task});
            }
        }
    }

    /**
     * {@code HttpClient.sendAsync(request, handler, pushHandler)} of the JDK's client (the two-argument one calls it),
     * and AsyncHttpClient's {@code executeRequest(request, handler)} (where its {@code prepareGet(url).execute()} and
     * every other request end): the exchange is in flight until the returned future completes.
     */
    static final class ExchangeSent {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object client, @Advice.Argument(0) Object request, @Advice.Return Object future,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && future != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_SENT, client, request, future});
            }
        }
    }

    /**
     * Apache HttpClient 5's {@code CloseableHttpAsyncClient.execute(producer, consumer, pushHandlers, context, callback)},
     * where every {@code execute} without a target host ends: the exchange is in flight until its future completes.
     */
    static final class ProducerExchangeSent {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object client, @Advice.Argument(0) Object producer, @Advice.Return Object future,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && future != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_SENT, client, producer, future});
            }
        }
    }

    /**
     * Jetty 12's {@code HttpRequest.send(Response.CompleteListener)}, where every send of its client ends (the
     * {@code CompletableResponseListener}'s future and the blocking {@code send()} too): the exchange is in flight until
     * its listener is told it completed. Seen on entry: a request that fails at once tells its listener before returning.
     */
    static final class ListenerExchangeSent {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object request, @Advice.Argument(0) Object listener,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && listener != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_SENT, request, request, listener});
            }
        }
    }

    /** Jetty 12's {@code ResponseListeners.notifyComplete(listener, result)}: the listener has been told (and ran). */
    static final class ExchangeListenerNotified {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) Object listener, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && listener != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_NOTIFYING, listener});
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.Argument(0) Object listener, @Advice.Thrown Throwable thrown, @Advice.Origin("#t") String where,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && listener != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_DONE, listener, thrown, where});
            }
        }
    }

    /**
     * An exchange's future tells the application's code it completed: AsyncHttpClient's
     * {@code NettyResponseFuture.done()} (the handler's {@code onCompleted}, whose exception the future keeps), Apache's
     * {@code BasicFuture.completed}, {@code failed} and {@code cancelled} (the {@code FutureCallback}'s, whose exception
     * goes up into the I/O reactor), Reactor Netty's {@code ChannelOperations.onInboundComplete()} (the response's end,
     * to what the application subscribed with).
     */
    static final class ExchangeFutureCompleting {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object future, @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_NOTIFYING, future});
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object future, @Advice.Thrown Throwable thrown, @Advice.Origin("#t") String where,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_DONE, future, thrown, where});
            }
        }
    }

    /**
     * Reactor Netty's {@code HttpClientConnect.HttpClientHandler}, made once for each subscription to a request of its
     * client ({@code MonoHttpConnect.subscribe}, where Spring's {@code WebClient} ends too), on the subscribing thread:
     * the exchange is in flight until its connection or its cancelling says otherwise.
     */
    static final class ExchangeSubscribed {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object handler, @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_SENT, handler, handler, handler});
            }
        }
    }

    /** Reactor Netty's {@code HttpClientHandler.test(error)}, which says whether to retry: {@code false}, the exchange failed. */
    static final class ExchangeRetried {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object handler, @Advice.Return boolean retried, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && !retried) {
                bridge.apply(new Object[] {Events.EXCHANGE_GIVEN_UP, handler});
            }
        }
    }

    /** Reactor Netty's {@code HttpObserver}, made for each attempt of an exchange with the attempt's sink. */
    static final class ExchangeAttempt {
        @Advice.OnMethodExit
        static void exit(@Advice.FieldValue("handler") Object handler, @Advice.FieldValue("sink") Object sink,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && handler != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_ATTEMPT, handler, sink});
            }
        }
    }

    /**
     * Reactor Netty's {@code HttpClientConnect.HttpObserver.onStateChange(connection, state)}: where the connection of one
     * attempt of an exchange stands (connected, request sent, response completed, released...).
     */
    static final class ExchangeConnectionState {
        @Advice.OnMethodEnter
        static void enter(@Advice.FieldValue("handler") Object handler, @Advice.FieldValue("sink") Object sink,
                @Advice.Argument(0) Object connection, @Advice.Argument(1) Object state, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && handler != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_CONNECTION, handler, state, connection, sink});
            }
        }
    }

    /** Reactor's {@code MonoCreate.DefaultMonoSink.cancel()}: the sink of a Reactor Netty exchange's attempt, given up. */
    static final class SinkCancelled {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object sink, @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_GIVEN_UP, sink});
            }
        }
    }

    /** The same, with a target host first: {@code execute(target, producer, consumer, pushHandlers, context, callback)}. */
    static final class ProducerToHostExchangeSent {
        @Advice.OnMethodExit
        static void exit(@Advice.This Object client, @Advice.Argument(1) Object producer, @Advice.Return Object future,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && future != null) {
                bridge.apply(new Object[] {Events.EXCHANGE_SENT, client, producer, future});
            }
        }
    }

    /**
     * Spring's {@code AsyncExecutionAspectSupport.handleError(ex, method, params)}: for an {@code @Async} method that
     * returns {@code void}, the exception is handed to the {@code AsyncUncaughtExceptionHandler}, which logs it, and
     * the task ends as if it had succeeded (a {@code Future}'s is rethrown into the future instead).
     */
    static final class SpringAsyncErrorHandled {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) Throwable failure, @Advice.Argument(1) java.lang.reflect.Method method,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && !java.util.concurrent.Future.class.isAssignableFrom(method.getReturnType())) {
                bridge.apply(new Object[] {Events.FAILURE_SWALLOWED, failure, "Spring's AsyncUncaughtExceptionHandler (the @Async method "
                        + method.getDeclaringClass().getName() + "." + method.getName() + " returns void: its exception is logged)"});
            }
        }
    }

    /**
     * A framework's error handler, handed the exception of the user's work, that logs it: Spring's
     * {@code TaskUtils.LOG_AND_SUPPRESS_ERROR_HANDLER}, Reactor's {@code Schedulers.handleError}, RxJava's
     * {@code RxJavaPlugins.onError}, Vert.x's {@code ContextImpl.reportException}. Which one it is, and which of its errors count, the
     * kit says in words ({@link SwallowedFailures#swallowed}).
     */
    static final class FrameworkErrorLogged {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) Throwable failure, @Advice.Origin("#t") String handler,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.FAILURE_SWALLOWED, failure, handler});
            }
        }
    }

    /**
     * JBoss Threads' {@code Task.doRunWith}: what the work threw leaves it here, and the wrapper's {@code run()} hands
     * it to the pool's exception handler, which logs it.
     */
    static final class JBossTaskFailed {
        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (thrown != null && capturing && bridge != null) {
                bridge.apply(new Object[] {Events.FAILURE_SWALLOWED, thrown, JBossThreadsAdapter.LOGS_FAILURE});
            }
        }
    }

    /**
     * Quartz's {@code JobRunShell.notifyJobListenersComplete(context, failure)}: the job's exception, caught by the
     * shell and logged ("threw an unhandled Exception", wrapped twice: the job's own is reported), or the
     * {@code JobExecutionException} the job threw; the job counts as run.
     */
    static final class QuartzJobFailed {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(1) Throwable jobFailure, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && jobFailure != null) {
                // the job's own exception, inside Quartz's wrappers (JobExecutionException(SchedulerException(e)) in 2.3,
                // JobExecutionException(JobExecutionProcessException(e)) in 2.5)
                Throwable failure = jobFailure;
                while (failure.getCause() != null && failure.getCause() != failure
                        && failure.getClass().getName().startsWith("org.quartz.")) {
                    failure = failure.getCause();
                }
                bridge.apply(new Object[] {Events.FAILURE_SWALLOWED, failure,
                        "Quartz's JobRunShell (it logs the job's exception, and the job counts as run)"});
            }
        }
    }

    /**
     * {@code java.util.Timer.sched(task, time, period)}, which every {@code schedule} and {@code scheduleAtFixedRate}
     * calls: the task is submitted to the timer; a timer already cancelled (or whose thread died) refuses it.
     */
    static final class TimerScheduled {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object timer, @Advice.Argument(0) Object task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_SUBMIT, timer, task});
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object timer, @Advice.Argument(0) Object task, @Advice.Thrown Throwable thrown,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && thrown instanceof IllegalStateException
                    && "Timer already cancelled.".equals(thrown.getMessage())) {
                bridge.apply(new Object[] {Events.TASK_REJECT, timer, task});
            }
        }
    }

    /**
     * {@code ForkJoinPool.poolSubmit(signal, task)} (JDK 21+): the task is the second argument. (Not
     * {@code @Advice.AllArguments}: that builds an array on every call, captured or not.)
     */
    static final class ForkJoinPoolSubmitted {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object pool, @Advice.Argument(1) Object task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_SUBMIT, pool, task});
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object pool, @Advice.Argument(1) Object task, @Advice.Thrown Throwable thrown,
                @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && thrown instanceof java.util.concurrent.RejectedExecutionException) {
                bridge.apply(new Object[] {Events.TASK_REJECT, pool, task});
            }
        }
    }

    /**
     * {@code ThreadPoolExecutor.reject}: a handler that returns without throwing ran, requeued or threw the task away.
     * The exit is reported only after a reported enter: the enter may leave a note for it on this thread.
     */
    static final class TaskRejected {
        @Advice.OnMethodEnter
        static boolean enter(@Advice.This Object executor, @Advice.Argument(0) Object task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_REJECT, executor, task});
                return true;
            }
            return false;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean reported, @Advice.This Object executor, @Advice.Argument(0) Object task,
                @Advice.Thrown Throwable thrown, @Bridge Function<Object[], Object> bridge) {
            if (reported && bridge != null && thrown == null) {
                bridge.apply(new Object[] {Events.TASK_REJECT_HANDLED, executor, task});
            }
        }
    }

    /** {@code ForkJoinTask.fork()} outside a pool: the task goes to the common pool (a parallel stream's work). */
    static final class ForkedFromOutside {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && !(Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread)) {
                bridge.apply(new Object[] {Events.TASK_SUBMIT, java.util.concurrent.ForkJoinPool.commonPool(), task});
            }
        }
    }

    /** Marks the span in which an executor creates its worker threads, so they belong to its owner. */
    static final class WorkerCreation {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object executor, @Bridge Function<Object[], Object> bridge) {
            if (bridge != null) {
                bridge.apply(new Object[] {Events.EXECUTOR_ENTER, executor});
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.This Object executor, @Bridge Function<Object[], Object> bridge) {
            if (bridge != null) {
                bridge.apply(new Object[] {Events.EXECUTOR_EXIT, executor});
            }
        }
    }

    /** {@code ThreadPoolExecutor.interruptIdleWorkers}: its interrupts only reach workers between tasks. */
    static final class InterruptingIdleWorkers {
        @Advice.OnMethodEnter
        static void enter(@Bridge Function<Object[], Object> bridge) {
            if (bridge != null) {
                bridge.apply(new Object[] {Events.IDLE_INTERRUPTS, Boolean.TRUE});
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Bridge Function<Object[], Object> bridge) {
            if (bridge != null) {
                bridge.apply(new Object[] {Events.IDLE_INTERRUPTS, Boolean.FALSE});
            }
        }
    }

    /** {@code ThreadPoolExecutor.Worker(firstTask)}: remembers the first task of the worker's thread. */
    static final class WorkerConstructed {
        @Advice.OnMethodExit
        static void exit(@Advice.FieldValue("thread") Thread thread, @Advice.FieldValue("firstTask") Runnable firstTask,
                @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && firstTask != null) {
                bridge.apply(new Object[] {Events.WORKER_CREATED, thread, firstTask});
            }
        }
    }

    static final class RunWorker {
        @Advice.OnMethodEnter
        static void enter(@Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.WORKER_RUN});
            }
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_END, thrown});
            }
        }
    }

    /**
     * {@code ThreadPoolExecutor.processWorkerExit(worker, completedAbruptly)}: a worker whose task threw leaves its
     * loop here, and may signal the pool's termination before its exception reaches {@code runWorker}'s exit.
     */
    static final class WorkerExits {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(1) boolean completedAbruptly, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (completedAbruptly && capturing && bridge != null) {
                bridge.apply(new Object[] {Events.WORKER_EXITS_ABRUPTLY});
            }
        }
    }

    static final class GetTask {
        @Advice.OnMethodEnter
        static void enter(@Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_END, null});
            }
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Return Runnable task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && task != null) {
                bridge.apply(new Object[] {Events.TASK_START, task});
            }
        }
    }

    static final class ForkJoinExec {
        @Advice.OnMethodEnter
        static boolean enter(@Advice.This Object task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            return capturing && bridge != null && bridge.apply(new Object[] {Events.FJ_START, task}) == Boolean.TRUE;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean tracked, @Advice.This Object task,
                @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (tracked) {
                bridge.apply(new Object[] {Events.FJ_END, task});
            }
        }
    }

    /** A pool adapter's "runs one task" method that takes the task as its first argument (Jetty's {@code runJob}). */
    static final class RunsTaskArgument {
        @Advice.OnMethodEnter
        static boolean enter(@Advice.Argument(0) Object task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            return capturing && bridge != null && bridge.apply(new Object[] {Events.WORK_START, task}) == Boolean.TRUE;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean tracked, @Advice.Argument(0) Object task, @Advice.Thrown Throwable thrown,
                @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (tracked) {
                bridge.apply(new Object[] {Events.WORK_END, task, thrown});
            }
        }
    }

    /** A pool adapter's task whose own {@code run()} is the work (Quartz's {@code JobRunShell}). */
    static final class RunsItself {
        @Advice.OnMethodEnter
        static boolean enter(@Advice.This Object task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            return capturing && bridge != null && bridge.apply(new Object[] {Events.WORK_START, task}) == Boolean.TRUE;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean tracked, @Advice.This Object task, @Advice.Thrown Throwable thrown,
                @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (tracked) {
                bridge.apply(new Object[] {Events.WORK_END, task, thrown});
            }
        }
    }

    /** {@code CompletableFuture.AsyncSupply/AsyncRun.run}: the task completes normally even when its future fails. */
    static final class AsyncCompletion {
        @Advice.OnMethodEnter
        static Object enter(@Advice.FieldValue("dep") Object future) {
            return future;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object future, @Advice.This Object task, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null && future != null) {
                bridge.apply(new Object[] {Events.ASYNC_DONE, task, future});
            }
        }
    }

    /**
     * {@code CompletableFuture.encodeThrowable(Throwable)}: a stage's function threw, and the stage's future keeps it
     * (every catch of the JDK around a stage's function, {@code thenApply} to {@code exceptionally}, and of
     * {@code supplyAsync}'s task, ends here; a failure passed on from an earlier stage does not).
     */
    static final class StageFailed {
        @Advice.OnMethodEnter
        static void enter(@Advice.Argument(0) Throwable failure, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.STAGE_FAILED, failure});
            }
        }
    }

    static final class FutureFailed {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object future, @Advice.Argument(0) Throwable failure,
                @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_FAILED, future, failure});
            }
        }
    }

    /** The application takes a task's work back (a Netty timeout's {@code task()}): see {@link TaskEvents#takenBack}. */
    static final class TaskTakenBack {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object task, @Capturing boolean capturing, @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_TAKEN_BACK, task});
            }
        }
    }

    static final class FutureCancelled {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object future, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.TASK_CANCEL, future});
            }
        }
    }

    static final class ExecutorShutdown {
        @Advice.OnMethodEnter
        static void enter(@Advice.This Object executor, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.EXECUTOR_SHUTDOWN, executor});
            }
        }
    }

    /** The exit is reported only after a reported enter: the enter marks this thread as inside shutdownNow(). */
    static final class ExecutorShutdownNow {
        @Advice.OnMethodEnter
        static boolean enter(@Advice.This Object executor, @Capturing boolean capturing,
                @Bridge Function<Object[], Object> bridge) {
            if (capturing && bridge != null) {
                bridge.apply(new Object[] {Events.EXECUTOR_SHUTDOWN_NOW, executor});
                return true;
            }
            return false;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean reported, @Advice.This Object executor, @Advice.Return List<Runnable> drained,
                @Bridge Function<Object[], Object> bridge) {
            if (reported && bridge != null) {
                bridge.apply(new Object[] {Events.EXECUTOR_SHUTDOWN_NOW_DONE, executor, drained});
            }
        }
    }
}
