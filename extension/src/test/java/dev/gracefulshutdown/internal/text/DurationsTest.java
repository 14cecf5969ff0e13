package dev.gracefulshutdown.internal.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void wholeSecondsInSecondsTheRestInMilliseconds() {
        assertThat(Durations.format(Duration.ofSeconds(60))).isEqualTo("60 s");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0 s");
        assertThat(Durations.format(Duration.ofMillis(300))).isEqualTo("300 ms");
        assertThat(Durations.format(Duration.ofMillis(2500))).isEqualTo("2500 ms");
    }
}
