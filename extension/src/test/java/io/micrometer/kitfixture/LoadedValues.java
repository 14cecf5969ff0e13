package io.micrometer.kitfixture;

import com.google.common.util.concurrent.Uninterruptibles;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedTransferQueue;

/**
 * Stands for a library (its package is a known library's) that chains work of its own on the user's futures, as a
 * cache does when it stores a value it loaded ({@code whenComplete} on the loading future): that work runs on the thread
 * that completes the future, after whoever waited for the future went on. Here it waits (uninterruptibly, as for a lock
 * the library holds elsewhere) until {@link #letGo()}.
 */
public final class LoadedValues {

    private final LinkedTransferQueue<Object> lock = new LinkedTransferQueue<>();

    /** Chains the library's storing of the value on the future. */
    public <T> CompletableFuture<T> storeWhenLoaded(CompletableFuture<T> loading) {
        loading.whenComplete((value, failure) -> Uninterruptibles.takeUninterruptibly(lock));
        return loading;
    }

    /** Adds the library's storing of the value as a listener of a Guava future, run by the thread that completes it. */
    public <T> com.google.common.util.concurrent.ListenableFuture<T> storeWhenLoaded(
            com.google.common.util.concurrent.ListenableFuture<T> loading) {
        loading.addListener(() -> Uninterruptibles.takeUninterruptibly(lock),
                com.google.common.util.concurrent.MoreExecutors.directExecutor());
        return loading;
    }

    /** Whether a thread is in the middle of storing a value. */
    public boolean storing() {
        return lock.hasWaitingConsumer();
    }

    /** Lets every thread storing a value go on. */
    public void letGo() {
        while (lock.tryTransfer("stored")) {
            // one for each
        }
    }
}
