package dev.gracefulshutdown.internal.capture;

import io.netty.util.concurrent.DefaultEventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A JVM that installs the kit, then loads a library class the kit instruments (Netty's event executor) and hands it a
 * task inside a capture scope: prints how many of the scope's tasks the kit saw, which is none unless the library's
 * class was woven.
 */
public final class CachedWeavingApp {

    private CachedWeavingApp() {
    }

    public static void main(String[] args) throws Exception {
        AgentInstaller.ensureInstalled();
        Scope scope = Capture.open("cached weaving", Thread.currentThread());
        try {
            DefaultEventExecutor loop = new DefaultEventExecutor();
            loop.submit(() -> { }).await(10, TimeUnit.SECONDS);
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            System.out.println("tasks seen " + scope.tasks().size());
        } finally {
            Capture.close(scope);
        }
    }
}
