package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * Work the user hands to Reactor's and RxJava's schedulers (JVM-wide pools of the libraries): delayed and still
 * waiting at the halt, it is dropped; running, abandoned; disposed by the application's hook, it was given up on
 * purpose. Messages name the user's code inside the library's wrapper task.
 */
class ReactiveSchedulersTest {

    @Test
    void theUsersWorkOnAReactiveSchedulerIsJudgedAndNamedFromInsideTheLibrarysTask() {
        Events events = Fixtures.tests(ReactiveTestCases.class);

        assertThat(Fixtures.failureMessage(events, "reactorDelayStillWaitingAtTheHalt"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.ReactiveSchedulersTest$ReactiveTestCases, inside "
                        + "reactor.core.scheduler.SchedulerTask (task#")
                .contains("submitted at dev.gracefulshutdown.ReactiveSchedulersTest$ReactiveTestCases.reactorDelayStillWaitingAtTheHalt(");
        assertThat(Fixtures.failureMessage(events, "rxJavaTimerStillWaitingAtTheHalt"))
                .contains("1 violation")
                .contains("DROPPED_TASK: task lambda in dev.gracefulshutdown.ReactiveSchedulersTest$ReactiveTestCases, inside "
                        + "io.reactivex.rxjava3.internal.schedulers.");
        assertThat(Fixtures.failureMessage(events, "reactorBoundedElasticRunningAtTheHalt"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.ReactiveSchedulersTest$ReactiveTestCases, inside "
                        + "reactor.core.scheduler.SchedulerTask (task#");
        assertThat(Fixtures.failureMessage(events, "rxJavaIoRunningAtTheHalt"))
                .contains("1 violation")
                .contains("ABANDONED_TASK: task lambda in dev.gracefulshutdown.ReactiveSchedulersTest$ReactiveTestCases, inside "
                        + "io.reactivex.rxjava3.internal.schedulers.ScheduledRunnable (task#");
        Fixtures.assertPassed(events, "reactorDelayDisposedByTheHook", "rxJavaTimerDisposedByTheHook");
    }

    @GracefulShutdownTest(gracePeriod = "1s")
    static class ReactiveTestCases {
        @Test
        void reactorDelayStillWaitingAtTheHalt() {
            reactor.core.publisher.Mono.delay(Duration.ofMinutes(1)).subscribe(tick -> System.out.println("export"));
        }

        @Test
        void reactorDelayDisposedByTheHook() {
            reactor.core.Disposable export = reactor.core.publisher.Mono.delay(Duration.ofMinutes(1))
                    .subscribe(tick -> System.out.println("export"));
            Runtime.getRuntime().addShutdownHook(new Thread(export::dispose, "cancel-export"));
        }

        @Test
        void reactorBoundedElasticRunningAtTheHalt() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            reactor.core.publisher.Mono.fromRunnable(() -> WorkOnAnyThreadTest.export(started, new CountDownLatch(1)))
                    .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic()).subscribe();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Test
        void rxJavaTimerStillWaitingAtTheHalt() {
            io.reactivex.rxjava3.core.Observable.timer(1, TimeUnit.MINUTES).subscribe(tick -> System.out.println("export"));
        }

        @Test
        void rxJavaTimerDisposedByTheHook() {
            io.reactivex.rxjava3.disposables.Disposable export = io.reactivex.rxjava3.core.Observable.timer(1, TimeUnit.MINUTES)
                    .subscribe(tick -> System.out.println("export"));
            Runtime.getRuntime().addShutdownHook(new Thread(export::dispose, "cancel-export"));
        }

        @Test
        void rxJavaIoRunningAtTheHalt() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            io.reactivex.rxjava3.core.Completable.fromRunnable(() -> WorkOnAnyThreadTest.export(started, new CountDownLatch(1)))
                    .subscribeOn(io.reactivex.rxjava3.schedulers.Schedulers.io()).subscribe();
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
