package dev.gracefulshutdown.internal.capture;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point when the kit is loaded with {@code -javaagent:graceful-shutdown-junit.jar} (recommended on JDK
 * 21+, which warns about agents attached at run time) and when it attaches itself.
 *
 * <p>With the argument {@code record=<directory>} ({@code -javaagent:agent.jar=record=/tmp/graceful-shutdown-junit})
 * the agent records the whole application of this JVM, the way a container check needs it: everything
 * {@code main} creates is captured, hooks run for real, and the inventory is written to the directory as the
 * real shutdown goes on.
 */
public final class Agent {

    static final String RECORD_ARGUMENT = "record=";

    /**
     * {@code -javaagent} without arguments keeps the instrumentation here and installs nothing yet: a JVM that runs no
     * kit test (a build's other test JVMs, a suite without the guard) pays for loading this one class; the first kit
     * test installs, as a self-attach would, without the attach (and so without JDK 21's warning about it).
     */
    private static volatile Instrumentation deferred;

    private Agent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        if (arguments == null || arguments.isBlank()) {
            deferred = instrumentation; // installed by the first kit test: free until then
        } else if (arguments.startsWith(RECORD_ARGUMENT) && arguments.length() > RECORD_ARGUMENT.length()) {
            recordApplication(Path.of(arguments.substring(RECORD_ARGUMENT.length())), instrumentation);
        } else {
            throw new IllegalArgumentException("graceful-shutdown-junit: unknown agent argument '" + arguments
                    + "'; expected none, or record=<directory>");
        }
    }

    static Instrumentation deferred() {
        return deferred;
    }

    /**
     * {@code agentmain}'s argument when the kit attaches itself ({@link SelfAttach}): the instrumentation is only kept,
     * for the attaching thread to take. That thread holds the installer's lock while it waits for the attach, so this
     * runs on the JVM's attach listener thread without taking it.
     */
    static final String HANDOVER_ARGUMENT = "handover";

    private static volatile Instrumentation handedOver;

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        if (HANDOVER_ARGUMENT.equals(arguments)) {
            handedOver = instrumentation;
            return;
        }
        AgentInstaller.install(instrumentation, "agentmain");
    }

    /**
     * What {@code agentmain} was handed on a self-attach, taken once. The JVM loads the agent class through the system
     * class loader: where the kit was loaded by another one, it is read from that class.
     */
    static Instrumentation takeHandedOver() {
        Instrumentation mine = handedOver;
        handedOver = null;
        if (mine != null || Agent.class.getClassLoader() == ClassLoader.getSystemClassLoader()) {
            return mine;
        }
        try {
            Class<?> systems = Class.forName(Agent.class.getName(), true, ClassLoader.getSystemClassLoader());
            java.lang.reflect.Field field = systems.getDeclaredField("handedOver");
            field.setAccessible(true);
            Object theirs = field.get(null);
            field.set(null, null);
            return theirs instanceof Instrumentation ? (Instrumentation) theirs : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError unreachable) {
            return null;
        }
    }

    /** Runs on the JVM's {@code main} thread, before {@code main}: that thread is the application's main. */
    private static void recordApplication(Path directory, Instrumentation instrumentation) {
        try {
            Files.createDirectories(directory);
            AgentInstaller.install(instrumentation, "-javaagent with record=");
            if (AgentInstaller.storedInCache()) {
                Files.writeString(directory.resolve(RealShutdown.AGENT_CACHE_STORED_FILE), "");
            }
            RealShutdown.recordApplication(directory, Capture.open("application", Thread.currentThread()));
        } catch (IOException | RuntimeException | LinkageError e) {
            // never keep the application from starting: say why, so that the verdict can say it is coarse
            System.err.println("graceful-shutdown-junit: the agent cannot record this application: " + e);
            try {
                Files.writeString(directory.resolve(RealShutdown.AGENT_FAILED_FILE), e.toString());
            } catch (IOException | RuntimeException ignored) {
                // the host then finds no recording at all, which it reports as such
            }
        }
    }
}
