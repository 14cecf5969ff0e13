package dev.gracefulshutdown.internal.capture;

import dev.gracefulshutdown.CapturedExecutor;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;
import java.util.List;

/** Immutable snapshot of what an application created and what became of it. */
public record Inventory(List<CapturedThread> threads, List<CapturedExecutor> executors, List<CapturedTask> tasks,
        List<CapturedHook> hooks) implements java.io.Serializable {
}
