package dev.gracefulshutdown.apps;

import dev.gracefulshutdown.internal.capture.AgentInstaller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A JVM that installs the kit's agent the way a first kit test does without {@code -javaagent}, and prints its pid.
 * With the argument {@code stale}, a file is first left where this JVM's attach socket would be, as an earlier process
 * with the same pid can leave one.
 */
public final class InstallApp {

    private InstallApp() {
    }

    public static void main(String[] args) throws Exception {
        long pid = ProcessHandle.current().pid();
        Path socket = Paths.get("/tmp", ".java_pid" + pid);
        if (args.length > 0 && args[0].equals("stale")) {
            Files.deleteIfExists(socket);
            Files.createFile(socket);
        }
        AgentInstaller.ensureInstalled();
        System.out.println("pid " + pid);
    }
}
