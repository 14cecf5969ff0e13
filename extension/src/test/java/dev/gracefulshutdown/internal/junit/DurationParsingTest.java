package dev.gracefulshutdown.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The durations of {@code gracePeriod}, {@code exitTimeout} and their configuration parameters, parsed alone. */
class DurationParsingTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "5s, PT5S",
        "2m, PT2M",
        "1h, PT1H",
        "0s, PT0S",
        "'  30 s ', PT30S",
        "5S, PT5S",
        "250MS, PT0.25S",
        "-5s, PT-5S",
        "- 5s, PT-5S",
        "PT5S, PT5S",
        "pt0.5s, PT0.5S",
        "-PT2S, PT-2S",
        "P1D, PT24H",
    })
    void shortFormsAndIsoDurationsAreAccepted(String text, String expected) {
        assertThat(Configuration.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 parsecs", "soon", "5", "1.5s", "s", "", "5 s 2", "3d", "99999999999999999999s"})
    void anythingElseIsRejected(String text) {
        assertThatThrownBy(() -> Configuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT", "P5 seconds", "PT5X"})
    void aBrokenIsoDurationIsRejectedByTheIsoParser(String text) {
        assertThatThrownBy(() -> Configuration.parse(text)).isInstanceOf(DateTimeParseException.class);
    }
}
