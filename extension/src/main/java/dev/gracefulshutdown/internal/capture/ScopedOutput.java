package dev.gracefulshutdown.internal.capture;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Tees {@code System.out} and {@code System.err}: everything goes to the original stream, and what a thread
 * of a test's application writes is also kept in that test's scope, so readiness can wait for a log line
 * even when tests run in parallel. Installed once, the first time an application is started from its main.
 */
public final class ScopedOutput extends OutputStream {

    private static boolean installed;
    private final PrintStream original;

    private ScopedOutput(PrintStream original) {
        this.original = original;
    }

    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        System.setOut(new PrintStream(new ScopedOutput(System.out), true));
        System.setErr(new PrintStream(new ScopedOutput(System.err), true));
    }

    @Override
    public void write(int b) {
        original.write(b);
        Scope scope = Capture.currentScope();
        if (scope != null) {
            scope.appendOutput(new byte[] {(byte) b}, 0, 1);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        original.write(bytes, offset, length);
        Scope scope = Capture.currentScope();
        if (scope != null) {
            scope.appendOutput(bytes, offset, length);
        }
    }

    @Override
    public void flush() {
        original.flush();
    }
}
