package dev.gracefulshutdown.benchmarks;

import dev.gracefulshutdown.internal.capture.AgentInstaller;

/**
 * The trivial application of the start-up benchmark: returns at once, or first attaches the kit's agent to itself
 * (argument {@code attach}: what a test JVM does on its first kit test; with {@code -javaagent} it installs with the
 * instrumentation it was given, without one it attaches first).
 */
public final class StartupMain {

    private StartupMain() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("attach")) {
            AgentInstaller.ensureInstalled();
        }
    }
}
