package dev.gracefulshutdown.internal.capture;

/**
 * The events the inlined advice sends through the bootstrap bridge, in one place: each is an {@code Object[]} whose
 * first element is one of these codes (a boxed {@code int}) and whose other elements are listed beside it.
 * Compile-time constants: the advice, inlined into JDK classes that cannot see the kit, carries the number itself.
 */
final class Events {

    private Events() {
    }

    /** {@code Thread.start()} is entered: [thread]. */
    static final int THREAD_START = 0;
    /** {@code Thread.start()} threw: [thread]. */
    static final int THREAD_START_FAILED = 1;
    /** the VM ends a thread ({@code Thread.exit()}): [thread]. */
    static final int THREAD_EXIT = 2;
    /** {@code Thread.setDaemon} is called: [thread]. */
    static final int THREAD_DAEMON = 3;
    /** {@code Thread.interrupt()} is called: [target thread]. */
    static final int THREAD_INTERRUPT = 4;
    /** a thread dies of an uncaught exception: [thread, throwable]; answers whether the kit handled it. */
    static final int THREAD_UNCAUGHT = 5;
    /** the real JVM starts its application hooks: []. */
    static final int JVM_RUN_HOOKS = 6;
    /** the real JVM halts: []. */
    static final int JVM_HALT = 7;
    /** the real JVM's hooks have ended: []. */
    static final int JVM_HOOKS_DONE = 8;
    /** {@code Runtime.addShutdownHook}: [hook thread]; answers whether the kit captured it (then it is not installed). */
    static final int HOOK_ADD = 9;
    /** {@code Runtime.removeShutdownHook}: [hook thread]; answers the JDK method's result, or null to let it run. */
    static final int HOOK_REMOVE = 10;
    /** {@code Runtime.exit}: [status]. */
    static final int RUNTIME_EXIT = 11;
    /** {@code Runtime.halt}: [status]. */
    static final int RUNTIME_HALT = 12;
    /** a JDK executor's constructor returned: [executor]. */
    static final int EXECUTOR_CREATED = 13;
    /** an executor begins to create workers: [executor] (balanced with executor.exit). */
    static final int EXECUTOR_ENTER = 14;
    /** it is done creating workers: [executor]. */
    static final int EXECUTOR_EXIT = 15;
    /** {@code ThreadPoolExecutor.interruptIdleWorkers} begins or ends: [Boolean entering]. */
    static final int IDLE_INTERRUPTS = 16;
    /** {@code shutdown()}: [executor]. */
    static final int EXECUTOR_SHUTDOWN = 17;
    /** {@code shutdownNow()} is entered: [executor]. */
    static final int EXECUTOR_SHUTDOWN_NOW = 18;
    /** {@code shutdownNow()} returned: [executor, drained list]. */
    static final int EXECUTOR_SHUTDOWN_NOW_DONE = 19;
    /** a task is handed to an executor: [executor, task]. */
    static final int TASK_SUBMIT = 20;
    /** a rejection handler is called: [executor, task]. */
    static final int TASK_REJECT = 21;
    /** the rejection handler returned without throwing: [executor, task]. */
    static final int TASK_REJECT_HANDLED = 22;
    /** a catch block of the application's code is entered: [throwable, where]. */
    static final int TASK_CAUGHT = 23;
    /** a pool worker is constructed with a first task: [thread, task]. */
    static final int WORKER_CREATED = 24;
    /** a pool worker's loop starts: []. */
    static final int WORKER_RUN = 25;
    /** a pool worker takes a task: [task]. */
    static final int TASK_START = 26;
    /** the pool worker's task ends: [throwable or null]. */
    static final int TASK_END = 27;
    /** a ForkJoinTask runs: [task]; answers whether it is tracked. */
    static final int FJ_START = 28;
    /** it ends: [task]. */
    static final int FJ_END = 29;
    /** a library pool (through an adapter) runs a task: [task]; answers whether it is tracked. */
    static final int WORK_START = 30;
    /** it ends: [task, throwable or null]. */
    static final int WORK_END = 31;
    /** a future completes exceptionally: [future, throwable]. */
    static final int TASK_FAILED = 32;
    /** a CompletableFuture's async task completed: [task, future]. */
    static final int ASYNC_DONE = 33;
    /** a future is cancelled: [future]. */
    static final int TASK_CANCEL = 34;
    /** an asynchronous HTTP exchange is sent ({@code HttpClient.sendAsync} returned): [client, request, future]. */
    static final int EXCHANGE_SENT = 35;
    /** a pool's worker leaves its loop because the task it ran threw ({@code processWorkerExit}, abruptly): []. */
    static final int WORKER_EXITS_ABRUPTLY = 36;
    /** a framework caught the exception of the user's work and only logs it: [throwable, where (or the handler's class)]. */
    static final int FAILURE_SWALLOWED = 37;
    /** a task is scheduled on a Netty event loop from the loop itself, which never calls execute: [executor, task]. */
    static final int TASK_SCHEDULED_FROM_LOOP = 38;
    /** the application takes a task's work back from it (a Netty timeout's {@code task()}, to run it itself): [task]. */
    static final int TASK_TAKEN_BACK = 39;
    /** a {@code CompletableFuture} keeps what a stage's function threw in the stage's future: [throwable]. */
    static final int STAGE_FAILED = 40;
    /**
     * an asynchronous HTTP exchange's listener or callback was told it completed (Jetty's {@code onComplete}, a future's
     * callback): [listener or future, what the callback threw out of the telling or null, the telling class].
     */
    static final int EXCHANGE_DONE = 41;
    /** an asynchronous HTTP exchange's listener or callback is about to be told it completed: [listener or future]. */
    static final int EXCHANGE_NOTIFYING = 42;
    /** an attempt of a Reactor Netty exchange began: [handler, the attempt's sink]. */
    static final int EXCHANGE_ATTEMPT = 43;
    /** the connection of a Reactor Netty exchange's attempt changed state: [handler, state, connection, the attempt's sink]. */
    static final int EXCHANGE_CONNECTION = 44;
    /** a Reactor Netty exchange was given up: by the application (its attempt's sink cancelled) or its client: [sink or handler]. */
    static final int EXCHANGE_GIVEN_UP = 45;

    private static final String[] NAMES = {
        "thread.start", "thread.start.failed", "thread.exit", "thread.daemon", "thread.interrupt", "thread.uncaught", "jvm.runHooks", "jvm.halt", "jvm.hooksDone", "hook.add", "hook.remove", "runtime.exit", "runtime.halt", "executor.created", "executor.enter", "executor.exit", "idle.interrupts", "executor.shutdown", "executor.shutdownNow", "executor.shutdownNow.done", "task.submit", "task.reject", "task.reject.handled", "task.caught", "worker.created", "worker.run", "task.start", "task.end", "fj.start", "fj.end", "work.start", "work.end", "task.failed", "async.done", "task.cancel", "exchange.sent", "worker.exits.abruptly", "failure.swallowed", "task.scheduledFromLoop", "task.takenBack", "stage.failed", "exchange.done", "exchange.notifying", "exchange.attempt", "exchange.connection", "exchange.givenUp"
    };

    /** The event's name, as messages say it ("task.submit"). */
    static String name(int event) {
        return event >= 0 && event < NAMES.length ? NAMES[event] : "event#" + event;
    }
}
