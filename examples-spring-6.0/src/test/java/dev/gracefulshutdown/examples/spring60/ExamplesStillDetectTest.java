package dev.gracefulshutdown.examples.spring60;

import dev.gracefulshutdown.examples.ExamplesStillDetect;
import org.junit.jupiter.api.Test;

class ExamplesStillDetectTest {

    @Test
    void brokenExamplesFailWithoutTheirExpectAndFixedOnesPass() {
        ExamplesStillDetect.check(SpringAsyncBeforeSixOneTest.class);
    }
}
