package dev.gracefulshutdown.examples.spring;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/** Story 3: an {@code @Async} export that takes a while (five steps of {@code step} each). */
@Component
public class ExportJob {

    private final AtomicInteger running = new AtomicInteger();

    @Async
    public CompletableFuture<Integer> export(Duration step) throws InterruptedException {
        running.incrementAndGet();
        try {
            for (int i = 0; i < 5; i++) {
                Thread.sleep(step.toMillis()); // stands for writing a chunk of the export
            }
            return CompletableFuture.completedFuture(5);
        } finally {
            running.decrementAndGet();
        }
    }

    public boolean isRunning() {
        return running.get() > 0;
    }
}
