package dev.gracefulshutdown.internal.junit;

import dev.gracefulshutdown.GracefulShutdownTest;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The {@code @GracefulShutdownTest} annotations that apply to one test, nearest first: the method's, then its
 * class's, then the enclosing classes' ({@code @Nested}); each found directly or as a meta-annotation. Every
 * attribute is taken from the nearest annotation that sets it.
 */
final class Declarations {

    /** An attribute's value, and the annotation it came from, for messages. */
    record Declared<T>(T value, String on) {
    }

    private record Found(GracefulShutdownTest annotation, String on) {
    }

    private final List<Found> nearestFirst;

    private Declarations(List<Found> nearestFirst) {
        this.nearestFirst = nearestFirst;
    }

    static Declarations of(ExtensionContext context) {
        List<Found> found = new ArrayList<>();
        Optional<Method> method = context.getTestMethod();
        method.ifPresent(m -> find(m).ifPresent(a -> found.add(new Found(a, m.getDeclaringClass().getSimpleName() + "." + m.getName()))));
        for (Optional<Class<?>> type = context.getTestClass(); type.isPresent();
                type = Optional.ofNullable(type.get().getEnclosingClass())) {
            Class<?> declaring = type.get();
            find(declaring).ifPresent(a -> found.add(new Found(a, declaring.getSimpleName())));
        }
        return new Declarations(found);
    }

    boolean isEmpty() {
        return nearestFirst.isEmpty();
    }

    /** The value of the nearest annotation that sets this attribute, if any does. */
    <T> Optional<Declared<T>> nearest(Function<GracefulShutdownTest, T> attribute, Predicate<T> isSet) {
        for (Found found : nearestFirst) {
            T value = attribute.apply(found.annotation);
            if (isSet.test(value)) {
                return Optional.of(new Declared<>(value, found.on));
            }
        }
        return Optional.empty();
    }

    private static Optional<GracefulShutdownTest> find(AnnotatedElement element) {
        return AnnotationSupport.findAnnotation(element, GracefulShutdownTest.class);
    }
}
