package dev.gracefulshutdown.internal.capture;

import static dev.gracefulshutdown.internal.capture.Capture.*;


/** The user's task as messages name it, from inside the JDK's and the libraries' wrappers. */
final class TaskDescriptions {

    private TaskDescriptions() {
    }

    /**
     * The user's task inside the JDK's wrappers: read from inside them ({@link JdkWrappers}), or else from what
     * FutureTask and RunnableAdapter say they wrap in toString().
     */
    static String describe(Object task) {
        if (task instanceof java.lang.reflect.Method method) { // the user's method a library invokes (Spring's @Async)
            return "method " + method.getDeclaringClass().getName() + "." + method.getName() + "()";
        }
        String byItsPool = PoolAdapter.describeTask(task);
        if (byItsPool != null) {
            return byItsPool;
        }
        Object work = JdkWrappers.workOf(task);
        String name = work.getClass().getName();
        if (work == task && task instanceof java.util.concurrent.Future) { // not opened: what its toString() says it wraps
            java.util.regex.Matcher wrapped = WRAPPED.matcher(String.valueOf(task));
            while (wrapped.find()) {
                name = wrapped.group(1);
            }
        }
        int lambda = name.indexOf("$$Lambda");
        return lambda > 0 ? "lambda in " + name.substring(0, lambda) : name;
    }

    private static final java.util.regex.Pattern WRAPPED = java.util.regex.Pattern.compile("task = ([\\w.$]+)");
}
