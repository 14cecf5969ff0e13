package dev.gracefulshutdown.internal.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestIdsTest {

    @Test
    void aMethodOfAClass() {
        assertThat(TestIds.of("[engine:junit-jupiter]/[class:com.acme.ReportServiceTest]/[method:renders()]"))
                .isEqualTo("com.acme.ReportServiceTest#renders()");
    }

    @Test
    void aNestedClassAndAnInvocationOfATemplate() {
        assertThat(TestIds.of("[engine:junit-jupiter]/[class:com.acme.OuterTest]/[nested-class:Inner]"
                + "/[test-template:retries(int)]/[test-template-invocation:#2]"))
                .isEqualTo("com.acme.OuterTest$Inner#retries(int)[2]");
    }

    @Test
    void aClassAloneAndAnUnknownSegment() {
        assertThat(TestIds.of("[engine:junit-jupiter]/[class:com.acme.ReportServiceTest]")).isEqualTo("com.acme.ReportServiceTest");
        assertThat(TestIds.of("[engine:junit-vintage]/[runner:com.acme.Old]/[test:works(com.acme.Old)]"))
                .isEqualTo("runner:com.acme.Old/test:works(com.acme.Old)");
    }

    @Test
    void anEscapedBracketStaysInItsValueAndWhatIsNoUniqueIdIsKept() {
        assertThat(TestIds.of("[engine:e]/[class:A]/[dynamic-test:#1 \\] odd]")).isEqualTo("A[1 \\] odd]");
        assertThat(TestIds.of("not a unique id")).isEqualTo("not a unique id");
    }
}
