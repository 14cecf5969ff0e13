package dev.gracefulshutdown.internal.capture;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kit's one class file transformer. It looks at a class's name first, which is all most classes cost it:
 * <ul>
 * <li>a JDK class the kit instruments ({@link #JDK_TARGETS}): its woven bytes from the {@link TransformCache} when
 * they were computed before for this very class file, kit and JDK, and from the {@link Weaver} (Byte Buddy)
 * otherwise, then stored;</li>
 * <li>a class of a pool adapter's library ({@link PoolAdapter#instrumentedClasses()}) or of a library whose swallowed
 * failures the kit sees ({@link SwallowedFailures}): the same way, from the cache or the {@link Weaver}; a JVM whose
 * classes were all woven before never loads Byte Buddy beyond its ASM, whatever servers and frameworks it runs;</li>
 * <li>a user's class: its catch blocks ({@link CatchBlocks}, Byte Buddy's ASM alone).</li>
 * </ul>
 * Anything that fails leaves its class as it was and is remembered for the self-check.
 */
final class KitTransformer implements ClassFileTransformer {

    /** The JDK classes the agent instruments (internal names); {@code VirtualThread} from JDK 19 (21) on. */
    static final List<String> JDK_TARGETS = List.of("java/lang/Thread", "java/lang/Runtime",
            "java/util/concurrent/ThreadPoolExecutor", "java/util/concurrent/ThreadPoolExecutor$Worker",
            "java/util/concurrent/ScheduledThreadPoolExecutor", "java/util/concurrent/ForkJoinPool",
            "java/util/concurrent/ForkJoinTask", "java/util/concurrent/FutureTask", "java/lang/VirtualThread",
            "java/util/concurrent/CompletableFuture", "java/util/concurrent/CompletableFuture$AsyncSupply", "java/util/concurrent/CompletableFuture$AsyncRun",
            "java/lang/ApplicationShutdownHooks", "java/lang/Shutdown", "java/util/Timer");

    /**
     * The JDK classes of the platform class loader the agent instruments, woven (and cached) when they load, which
     * is when the application first uses them: the JDK's {@code HttpClient}.
     */
    static final List<String> PLATFORM_TARGETS = List.of("jdk/internal/net/http/HttpClientImpl");

    private static final Set<String> JDK = Set.copyOf(JDK_TARGETS);
    private static final Set<String> PLATFORM = Set.copyOf(PLATFORM_TARGETS);
    private static final ClassLoader PLATFORM_LOADER = ClassLoader.getPlatformClassLoader();

    private final Class<?> bridge;
    private final TransformCache cache;
    private final Set<String> libraries;
    private volatile boolean useCache;
    private final Set<String> transformed = ConcurrentHashMap.newKeySet();
    private final Map<String, Throwable> errors = new ConcurrentHashMap<>();
    /** The cache entries used by the current retransformation, to evict if the JVM refuses their bytes. */
    private final Map<String, byte[]> fromCache = new ConcurrentHashMap<>();
    private final ThreadLocal<Boolean> busy = new ThreadLocal<>();

    KitTransformer(Class<?> bridge, TransformCache cache) {
        this.bridge = bridge;
        this.cache = cache;
        this.useCache = cache != null;
        Set<String> names = new HashSet<>();
        for (PoolAdapter adapter : PoolAdapter.ALL) {
            for (String type : adapter.instrumentedClasses()) {
                names.add(type.replace('.', '/'));
            }
        }
        for (String type : SwallowedFailures.CLASSES) {
            names.add(type.replace('.', '/'));
        }
        names.add(Weaver.GUAVA_FUTURE.replace('.', '/')); // a compile-time constant: the Weaver (and Byte Buddy) stay unloaded
        names.add(SwallowedFailures.NETTY_PROMISE.replace('.', '/'));
        for (String type : HttpExchanges.CLASSES) {
            names.add(type.replace('.', '/'));
        }
        this.libraries = Set.copyOf(names);
        // The classes the name filter runs on are loaded now, before the transformer is added: one first loaded by the
        // filter itself would come back to the filter while it loads (a duplicate definition).
        CatchBlocks.isUsersClass(KitTransformer.class.getClassLoader(), "dev/gracefulshutdown/Example", null);
    }

    /** The pool adapters' classes (internal names). */
    Set<String> libraryClasses() {
        return libraries;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
            ProtectionDomain domain, byte[] classFile) {
        if (className == null) {
            return null;
        }
        boolean jdk = loader == null ? JDK.contains(className) : loader == PLATFORM_LOADER && PLATFORM.contains(className);
        boolean library = !jdk && loader != null && libraries.contains(className);
        if (!jdk && !library && !CatchBlocks.isUsersClass(loader, className, domain)) {
            return null;
        }
        if (busy.get() != null) {
            return null; // a class loaded by the transformation itself
        }
        busy.set(Boolean.TRUE);
        try {
            if (jdk || library) {
                return woven(jdk, module, loader, className, redefined, domain, classFile);
            }
            return CatchBlocks.transform(className, classFile);
        } catch (Throwable failed) {
            if (jdk || library) {
                errors.put(className.replace('/', '.'), failed);
                loadedUnseen(className, failed);
            }
            return null; // the class keeps its code
        } finally {
            busy.remove();
        }
    }

    /**
     * A JDK class's or a pool adapter's library class's woven bytes: from the cache when this very class file was woven
     * before by this kit on this JDK (a library's class file is the one in its jar, the same in every JVM), else from
     * the {@link Weaver}, then stored. The JDK classes woven are remembered for the self-check.
     */
    private byte[] woven(boolean jdk, Module module, ClassLoader loader, String className, Class<?> redefined,
            ProtectionDomain domain, byte[] classFile) throws Exception {
        String name = className.replace('/', '.');
        if (useCache) {
            byte[] cached = cache.lookup(className, classFile);
            if (cached != null) {
                if (redefined != null) { // a library class defined as it loads is never retransformed from here
                    fromCache.put(className, classFile);
                }
                if (cached != TransformCache.UNCHANGED) {
                    if (jdk) {
                        transformed.add(name);
                    }
                    return cached;
                }
                return null;
            }
        }
        byte[] input = classFile;
        Set<String> catching = SwallowedFailures.catchingMethods(name); // library classes only
        if (catching != null) { // a library's catch blocks that end the user's work, then the advice
            byte[] withCatches = CatchBlocks.transform(className, classFile, catching);
            input = withCatches == null ? classFile : withCatches;
        }
        byte[] woven = Weaver.get(bridge).weave(module, loader, className, redefined, domain, input);
        if (woven == null && input != classFile) {
            woven = input;
        }
        if (woven != null && jdk) {
            transformed.add(name);
        }
        if (cache != null) {
            cache.store(className, classFile, woven);
        }
        return woven;
    }

    /**
     * A class the kit instruments that loaded after the installation (the JDK's HttpClient, a server's pool) could
     * not be instrumented: what it does is not seen, so the test that loaded it says its capture is incomplete
     * rather than passing.
     */
    private static void loadedUnseen(String className, Throwable failed) {
        try {
            Scope scope = Capture.currentScope();
            if (scope != null) {
                scope.captureFailed(new IllegalStateException("instrumenting " + className.replace('/', '.')
                        + " as it loaded failed: " + failed, failed));
            }
        } catch (RuntimeException | LinkageError ignored) {
            // the installation's self-check reports it in the next JVM
        }
    }

    Set<String> transformed() {
        return transformed;
    }

    Map<String, Throwable> errors() {
        return errors;
    }

    /** Whether the last retransformation took any bytes from the cache. */
    boolean usedCache() {
        return !fromCache.isEmpty();
    }

    /** After the JVM refused a retransformation: drops the entries it used, and computes every class from now on. */
    void distrustCache() {
        useCache = false;
        for (Map.Entry<String, byte[]> used : fromCache.entrySet()) {
            cache.evict(used.getKey(), used.getValue());
        }
        fromCache.clear();
        transformed.clear();
        errors.clear();
    }
}
