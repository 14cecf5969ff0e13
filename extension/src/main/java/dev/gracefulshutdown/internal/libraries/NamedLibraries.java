package dev.gracefulshutdown.internal.libraries;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The libraries the user names beyond the kit's list, read from the configuration parameter
 * {@value KnownLibraries#PROPERTY} wherever the kit starts to capture (a test, the guard, a container): one list per
 * JVM, as the parameter is one per run.
 */
public final class NamedLibraries {

    private NamedLibraries() {
    }

    /**
     * Names the libraries the run's configuration lists; an absent parameter names none, as in the run before.
     *
     * @throws ExtensionConfigurationException naming the parameter and the entry that is not a package name
     */
    public static void readFrom(ExtensionContext context) {
        String value = context.getConfigurationParameter(KnownLibraries.PROPERTY).orElse("");
        try {
            KnownLibraries.name(value);
        } catch (IllegalArgumentException notAPackage) {
            throw new ExtensionConfigurationException("configuration parameter " + notAPackage.getMessage(), notAPackage);
        }
    }
}
