package io.micrometer.kitfixture;

/** The abstract class whose lambda an endpoint's idle check is, as Jetty's {@code IdleTimeout}: the lambda captures it. */
abstract class IdleTimeout {

    Runnable idleCheckTask() {
        return () -> checkIdle();
    }

    abstract void checkIdle();
}
