package com.acmevendor.sessions;

import io.netty.util.Timeout;
import io.netty.util.Timer;
import io.netty.util.TimerTask;
import java.util.concurrent.TimeUnit;

/**
 * Stands for a client library that keeps its sessions alive with a timer the application hands it, as Redisson's and
 * Lettuce's watchdogs do on Netty's {@code HashedWheelTimer}: its own timeout, renewed every period, holding none of
 * the user's code.
 */
public final class SessionWatchdog implements TimerTask {

    private final Timer timer;

    private SessionWatchdog(Timer timer) {
        this.timer = timer;
    }

    public static Timeout watch(Timer timer) {
        return timer.newTimeout(new SessionWatchdog(timer), 1, TimeUnit.HOURS);
    }

    @Override
    public void run(Timeout timeout) {
        timer.newTimeout(this, 1, TimeUnit.HOURS);
    }
}
