package dev.gracefulshutdown.internal.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.common.util.concurrent.ListenableFutureTask;
import dev.gracefulshutdown.apps.UsersCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** A library's own task object, told from one that wraps the user's code, on the real libraries. */
class LibraryTasksTest {

    /** Keeps what it is handed instead of running it. */
    static final class Keeping implements Executor {
        final List<Runnable> kept = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            kept.add(task);
        }
    }

    @Test
    void aCachesCleanupIsTheLibrarysOwn() {
        Keeping executor = new Keeping();
        Cache<Integer, String> cache = Caffeine.newBuilder().maximumSize(10).executor(executor).build();
        for (int i = 0; i < 100; i++) {
            cache.put(i, "value " + i);
        }

        assertThat(executor.kept).isNotEmpty();
        assertThat(executor.kept).allSatisfy(task -> assertThat(LibraryTasks.isLibrarysOwn(task))
                .as(task.getClass().getName()).isTrue());
    }

    @Test
    void aCachesCleanupIsTheLibrarysOwnWhenTheCacheHoldsTheUsersListener() {
        Keeping executor = new Keeping();
        List<Integer> removed = new ArrayList<>();
        Cache<Integer, String> cache = Caffeine.newBuilder().maximumSize(10).executor(executor)
                .removalListener(UsersCode.<Integer, String>removalListener(removed))
                .build();
        for (int i = 0; i < 100; i++) {
            cache.put(i, "value " + i);
        }

        assertThat(executor.kept).isNotEmpty(); // the user's listener is the cache's setting, not the cleanup's work
        assertThat(executor.kept).filteredOn(task -> task.getClass().getName().contains("PerformCleanupTask"))
                .isNotEmpty().allSatisfy(task -> assertThat(LibraryTasks.isLibrarysOwn(task)).as(task.getClass().getName()).isTrue());
    }

    @Test
    void aLibrarysTimerThatOnlyCompletesAFutureIsTheLibrarysOwn() {
        java.util.concurrent.CompletableFuture<String> call = new java.util.concurrent.CompletableFuture<>();
        Runnable timeout = io.micrometer.kitfixture.Poller.timeoutFor(call); // a library's lambda holding only the future

        assertThat(LibraryTasks.isLibrarysOwn(timeout)).isTrue();
    }

    @Test
    void aLibrarysObjectWhoseStateIsArraysIsTheLibrarysOwn() {
        Runnable idleCheck = io.micrometer.kitfixture.Endpoint.idleCheck(); // an int[], an array of the library's buckets

        assertThat(LibraryTasks.isLibrarysOwn(idleCheck)).isTrue();
    }

    @Test
    void anArrayHandedToTheLibraryHoldingTheUsersCodeIsNot() {
        Runnable users = UsersCode.handler();

        assertThat(LibraryTasks.isLibrarysOwn(io.micrometer.kitfixture.Endpoint.idleCheckWithHandlers(users))).isFalse();
        assertThat(LibraryTasks.isLibrarysOwn(io.micrometer.kitfixture.Endpoint.idleCheckWithHandlers(null, users))).isFalse();
        assertThat(LibraryTasks.isLibrarysOwn(io.micrometer.kitfixture.Endpoint.idleCheckWithHandlers())).isTrue();
    }

    @Test
    void aWrapperAroundTheUsersCallableIsNot() {
        ListenableFutureTask<String> task = ListenableFutureTask.create(UsersCode.export()); // the callable is in FutureTask

        assertThat(LibraryTasks.isLibrarysOwn(task)).isFalse();
    }

    @Test
    void theUsersOwnTaskAndTheJdksAreNot() {
        Runnable users = () -> { };

        assertThat(LibraryTasks.isLibrarysOwn(users)).isFalse();
        assertThat(LibraryTasks.isLibrarysOwn(new java.util.concurrent.FutureTask<>(users, null))).isFalse();
        assertThat(LibraryTasks.isLibrarysOwn(null)).isFalse();
    }
}
