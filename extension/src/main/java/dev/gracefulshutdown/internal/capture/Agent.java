package dev.gracefulshutdown.internal.capture;

import java.lang.instrument.Instrumentation;

/**
 * Entry point when the kit is loaded with {@code -javaagent:graceful-shutdown-junit.jar} (recommended on JDK
 * 21+, which warns about agents attached at run time) and when it attaches itself.
 */
public final class Agent {

    private Agent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        AgentInstaller.install(instrumentation, "-javaagent");
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        AgentInstaller.install(instrumentation, "agentmain");
    }
}
