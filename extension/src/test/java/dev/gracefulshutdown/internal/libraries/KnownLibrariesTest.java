package dev.gracefulshutdown.internal.libraries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class KnownLibrariesTest {

    @AfterEach
    void nameNone() {
        KnownLibraries.name("");
    }

    @Test
    void aKnownLibrarysClassesAndItsSubpackagesAreTheLibrarys() {
        assertThat(KnownLibraries.contains("org.apache.catalina.core.StandardServer")).isTrue();
        assertThat(KnownLibraries.contains("mockwebserver3.MockWebServer")).isTrue();
        assertThat(KnownLibraries.contains("io.netty.util.concurrent.SingleThreadEventExecutor")).isTrue();
        assertThat(KnownLibraries.contains("kotlinx.coroutines.DefaultExecutor")).isTrue();
        assertThat(KnownLibraries.contains("kotlin.jvm.internal.Intrinsics")).isTrue();
        assertThat(KnownLibraries.contains("com.google.common.util.concurrent.MoreExecutors")).isTrue();
        assertThat(KnownLibraries.contains("zzz.last.Type")).isFalse();
        assertThat(KnownLibraries.contains("com.acme.OrderService")).isFalse();
        assertThat(KnownLibraries.contains("com.google.Unlisted")).isFalse();
        assertThat(KnownLibraries.contains("org")).isFalse();
        assertThat(KnownLibraries.contains("")).isFalse();
    }

    @Test
    void namedPackagesAreLibrariesAndAPrefixIsAWholePackageNeverALongerName() {
        KnownLibraries.name(" com.acme.sdk , io.vendor.");

        assertThat(KnownLibraries.contains("com.acme.sdk.Client")).isTrue();
        assertThat(KnownLibraries.contains("com.acme.sdk.internal.Pool$1")).isTrue();
        assertThat(KnownLibraries.contains("io.vendor.Loop")).isTrue();
        assertThat(KnownLibraries.contains("com.acme.sdkextra.Client")).isFalse();
        assertThat(KnownLibraries.contains("com.acme.OrderService")).isFalse();
        assertThat(KnownLibraries.contains("org.apache.catalina.core.StandardServer")).as("the kit's own list stays").isTrue();
        assertThat(KnownLibraries.named()).isEqualTo("com.acme.sdk,io.vendor");

        KnownLibraries.name("");
        assertThat(KnownLibraries.contains("com.acme.sdk.Client")).isFalse();
        assertThat(KnownLibraries.named()).isEmpty();
    }

    @Test
    void aNamedPackageAroundKnownOnesCoversThemAll() {
        KnownLibraries.name("org");

        assertThat(KnownLibraries.contains("org.apache.catalina.core.StandardServer")).isTrue();
        assertThat(KnownLibraries.contains("org.acme.Anything")).isTrue();
        assertThat(KnownLibraries.contains("com.acme.OrderService")).isFalse();
    }

    @Test
    void anEntryThatIsNotAPackageNameIsRejectedByName() {
        assertThatThrownBy(() -> KnownLibraries.name("com.acme,com..acme"))
                .hasMessage("gracefulshutdown.libraries: 'com..acme' is not a package name (expected package prefixes "
                        + "separated by commas, e.g. com.acme.sdk,io.vendor.client)");
        assertThatThrownBy(() -> KnownLibraries.name("com.acme.*")).hasMessageContaining("'com.acme.*' is not a package name");
        assertThat(KnownLibraries.named()).as("a rejected value names nothing").isEmpty();
    }
}
