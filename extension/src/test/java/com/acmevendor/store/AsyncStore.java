package com.acmevendor.store;

import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for a vendor's asynchronous client (a database or cache driver): its own stages fail when the
 * connection is gone, which is the driver's business, and it reports that on the future it returns.
 */
public final class AsyncStore {

    private final BooleanSupplier closed;

    public AsyncStore(BooleanSupplier closed) {
        this.closed = closed;
    }

    /** Writes on the caller's thread, through a stage of the driver's own that fails once the store is closed. */
    public CompletableFuture<Void> write(String value) {
        return CompletableFuture.completedFuture(value).thenApply(v -> {
            if (closed.getAsBoolean()) {
                throw new IllegalStateException("store connection closed");
            }
            return v;
        }).thenAccept(v -> { });
    }
}
