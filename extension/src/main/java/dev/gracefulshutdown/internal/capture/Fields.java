package dev.gracefulshutdown.internal.capture;

import java.lang.reflect.Field;

/**
 * Reads a field a library's object declares (a Quartz shell's context, a Netty timeout's task, a JBoss task's delegate,
 * Reactor Netty's WebSocket spec): the one small reflective read the adapters share, with its two ways to fail.
 */
final class Fields {

    private Fields() {
    }

    /** The field, declared by {@code type}, made accessible; throws if it is absent or its module is closed to the kit. */
    static Field declared(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    /** The value of a field the object's own class declares; throws as {@link #declared} does. */
    static Object read(Object holder, String name) throws ReflectiveOperationException {
        return declared(holder.getClass(), name).get(holder);
    }

    /** The value of a field the object's own class declares, or {@code null} when it cannot be read. */
    static Object readOrNull(Object holder, String name) {
        try {
            return read(holder, name);
        } catch (ReflectiveOperationException | RuntimeException cannotLook) {
            return null;
        }
    }
}
