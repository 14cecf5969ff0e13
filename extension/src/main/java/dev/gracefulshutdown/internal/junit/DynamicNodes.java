package dev.gracefulshutdown.internal.junit;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicNode;

/**
 * What a {@code @TestFactory} returned, as the one stream JUnit runs its dynamic tests from: JUnit closes it once the
 * last dynamic test has run, which is when the factory's application ends.
 */
final class DynamicNodes {

    private DynamicNodes() {
    }

    /**
     * The factory's result as a stream that runs {@code afterTheLast} when JUnit closes it; a result of another type is
     * returned as it is (JUnit reports it as an invalid return type), with {@code afterTheLast} run now.
     */
    static Object closingWith(Object result, Runnable afterTheLast) {
        Stream<?> nodes = asStream(result);
        if (nodes == null) {
            afterTheLast.run();
            return result;
        }
        return nodes.onClose(afterTheLast);
    }

    private static Stream<?> asStream(Object result) {
        if (result instanceof Stream<?> stream) {
            return stream;
        }
        if (result instanceof Iterable<?> iterable) {
            return StreamSupport.stream(iterable.spliterator(), false);
        }
        if (result instanceof Iterator<?> iterator) {
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false);
        }
        if (result instanceof Object[] array) {
            return Arrays.stream(array);
        }
        if (result instanceof DynamicNode node) {
            return Stream.of(node);
        }
        return null;
    }
}
