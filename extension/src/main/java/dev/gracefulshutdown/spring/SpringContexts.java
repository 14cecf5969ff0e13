package dev.gracefulshutdown.spring;

import dev.gracefulshutdown.GracefulShutdownTest;
import dev.gracefulshutdown.internal.capture.Scope;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.commons.support.AnnotationSupport;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestContextAnnotationUtils;

/** Which context each application lifetime loaded, and the few things the integration does to Spring. */
final class SpringContexts {

    /** The context each lifetime loaded: the application the kit shuts down. */
    private static final Map<Scope, ConfigurableApplicationContext> LOADED = Collections.synchronizedMap(new WeakHashMap<>());
    private static final AtomicBoolean BOOT_HOOK_INSTALLED = new AtomicBoolean();

    private SpringContexts() {
    }

    static void loaded(Scope scope, ConfigurableApplicationContext context) {
        LOADED.put(scope, context);
    }

    static ConfigurableApplicationContext loadedIn(Scope scope) {
        return LOADED.get(scope);
    }

    /** Whether the test method or its class (its superclasses, its enclosing classes) is a {@code @GracefulShutdownTest}. */
    static boolean isKitTest(TestContext testContext) {
        try {
            if (AnnotationSupport.isAnnotated(testContext.getTestMethod(), GracefulShutdownTest.class)) {
                return true;
            }
        } catch (IllegalStateException noMethod) {
            // before or after the methods
        }
        return isKitClass(testContext.getTestClass());
    }

    static boolean isKitClass(Class<?> testClass) {
        for (Class<?> type = testClass; type != null; type = type.getEnclosingClass()) {
            if (AnnotationSupport.isAnnotated(type, GracefulShutdownTest.class)
                    || TestContextAnnotationUtils.hasAnnotation(type, GracefulShutdownTest.class)) {
                return true;
            }
        }
        return !org.junit.platform.commons.support.ReflectionSupport.findMethods(testClass,
                m -> AnnotationSupport.isAnnotated(m, GracefulShutdownTest.class),
                org.junit.platform.commons.support.HierarchyTraversalMode.TOP_DOWN).isEmpty();
    }

    /**
     * Spring Boot registers one shutdown hook per JVM (a static {@code SpringApplicationShutdownHook}) with the first
     * application that runs. Were that the first kit test's, the hook would be captured as that test's, run by its
     * simulated shutdown (closing every Boot context registered so far, other tests' too) and never installed for
     * the real JVM exit. So it is installed here, outside any test's lifetime, as the first Boot test would have.
     */
    static void installBootShutdownHookOutsideAnyTest(ClassLoader classLoader) {
        if (BOOT_HOOK_INSTALLED.get()) {
            return;
        }
        try {
            Class<?> application = Class.forName("org.springframework.boot.SpringApplication", false, classLoader);
            Field field = application.getDeclaredField("shutdownHook");
            field.setAccessible(true);
            Object hook = field.get(null);
            Method enable = hook.getClass().getDeclaredMethod("enableShutdownHookAddition");
            enable.setAccessible(true);
            enable.invoke(hook);
            Object handlers = application.getMethod("getShutdownHandlers").invoke(null);
            Method add = Class.forName("org.springframework.boot.SpringApplicationShutdownHandlers", false, classLoader)
                    .getMethod("add", Runnable.class);
            add.invoke(handlers, (Runnable) SpringContexts::nothingToDo);
            BOOT_HOOK_INSTALLED.set(true);
        } catch (ClassNotFoundException noBoot) {
            BOOT_HOOK_INSTALLED.set(true); // Spring Framework alone: contexts have no hook unless registered
        } catch (ReflectiveOperationException | RuntimeException otherBoot) {
            // another Boot version: its hook is installed by the first application, as without the kit
        }
    }

    private static void nothingToDo() {
        // installs Boot's hook; it has no work of its own
    }

    /**
     * Swaps the test's context in Spring's context cache for an empty, active stand-in, so that the after-test
     * listeners that ask for the context (Mockito's reset, events) neither fail on the closed one nor load a new
     * one. {@code false} if this Spring version's cache cannot be reached: the context is then only evicted.
     */
    static boolean replaceWithStandIn(TestContext testContext, ApplicationContext closed) {
        try {
            Object mergedConfig = field(testContext, "mergedConfig");
            Object delegate = field(testContext, "cacheAwareContextLoaderDelegate");
            Method getContextCache = findMethod(delegate.getClass(), "getContextCache");
            getContextCache.setAccessible(true);
            org.springframework.test.context.cache.ContextCache cache =
                    (org.springframework.test.context.cache.ContextCache) getContextCache.invoke(delegate);
            org.springframework.test.context.MergedContextConfiguration key =
                    (org.springframework.test.context.MergedContextConfiguration) mergedConfig;
            synchronized (cache) { // the delegate's own lock around the cache
                if (cache.get(key) != closed) {
                    return false;
                }
                org.springframework.context.support.GenericApplicationContext standIn =
                        new org.springframework.context.support.GenericApplicationContext();
                standIn.setDisplayName("stand-in for the ApplicationContext that graceful-shutdown-junit shut down ("
                        + closed.getDisplayName() + ")");
                standIn.refresh();
                cache.remove(key, null);
                putStandIn(cache, key, standIn);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException unreachable) {
            return false;
        }
    }

    /** {@code put(key, context)}: deprecated in Spring 7 (for {@code put(key, loadFunction)}), the one 6.2 has. */
    @SuppressWarnings("deprecation")
    private static void putStandIn(org.springframework.test.context.cache.ContextCache cache,
            org.springframework.test.context.MergedContextConfiguration key, ApplicationContext standIn) {
        cache.put(key, standIn);
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        for (Class<?> type = target.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException next) {
                // the superclass
            }
        }
        throw new NoSuchFieldException(name);
    }

    private static Method findMethod(Class<?> type, String name) throws NoSuchMethodException {
        for (Class<?> t = type; t != null; t = t.getSuperclass()) {
            try {
                return t.getDeclaredMethod(name);
            } catch (NoSuchMethodException next) {
                // the superclass
            }
        }
        throw new NoSuchMethodException(name);
    }
}
