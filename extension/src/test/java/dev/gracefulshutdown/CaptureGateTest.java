package dev.gracefulshutdown;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gracefulshutdown.internal.capture.Capture;
import dev.gracefulshutdown.internal.capture.Scope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The inlined advice's one read, the bridge's {@code capturing} flag: is anything being captured? */
class CaptureGateTest {

    @Test
    void theGateIsOpenWhileAScopeIsOpenAndWhatTheScopeCreatesIsCaptured() throws Exception {
        Scope scope = Capture.open("gate", Thread.currentThread());
        ExecutorService pool = null;
        try {
            assertThat(capturing()).isTrue();
            pool = Executors.newSingleThreadExecutor();
            pool.submit(() -> { }).get(10, TimeUnit.SECONDS);
            assertThat(scope.executors()).hasSize(1);
            assertThat(scope.tasks()).hasSize(1);
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
            Capture.close(scope);
        }
    }

    @Test
    void aScopeOpenedAndClosedElsewhereLeavesTheGateOpenForOneStillOpen() throws Exception {
        Scope mine = Capture.open("mine", Thread.currentThread());
        try {
            Thread other = new Thread(() -> Capture.close(Capture.open("other", Thread.currentThread())));
            other.start();
            other.join(10_000);
            assertThat(capturing()).isTrue();
        } finally {
            Capture.close(mine);
        }
    }

    private static boolean capturing() throws ReflectiveOperationException {
        return Class.forName("java.lang.GracefulShutdownJUnitBridge", false, null).getField("capturing").getBoolean(null);
    }
}
