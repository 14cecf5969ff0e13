package dev.gracefulshutdown.internal.report;

import dev.gracefulshutdown.CallSite;
import dev.gracefulshutdown.CapturedExecutor;
import dev.gracefulshutdown.CapturedHook;
import dev.gracefulshutdown.CapturedTask;
import dev.gracefulshutdown.CapturedThread;
import dev.gracefulshutdown.Violation;
import java.util.Objects;
import java.util.Optional;

/** The kit's {@link Violation}: the judge's words for it, and what it is about as the inventory recorded it. */
public final class Finding implements Violation {

    /**
     * What a violation is about; each part may be {@code null}.
     *
     * @param site where it came from: a creation, submission or registration site
     */
    public record About(CapturedThread thread, CapturedTask task, CapturedExecutor executor, CapturedHook hook,
            CallSite site) {

        /** Nothing the kit recorded: a container seen from outside, a JVM that never began its shutdown. */
        public static final About NOTHING = new About(null, null, null, null, null);

        /** A thread, of this pool if it was one's ({@code null} otherwise), that came from this site. */
        public static About thread(CapturedThread thread, CapturedExecutor pool, CallSite site) {
            return new About(thread, null, pool, null, site);
        }

        /** A task, the thread it ran on and the pool it was submitted to (each {@code null} when not recorded). */
        public static About task(CapturedTask task, CapturedThread ranOn, CapturedExecutor pool) {
            return new About(ranOn, task, pool, null, task.submissionSite());
        }

        /** A shutdown hook, and its thread when it was recorded. */
        public static About hook(CapturedHook hook, CapturedThread thread) {
            return new About(thread, null, null, hook, hook.registrationSite());
        }
    }

    private final Kind kind;
    private final String subject;
    private final String where;
    private final String details;
    private final String hint;
    private final About about;

    public Finding(Kind kind, String subject, String where, String details, String hint, About about) {
        this.kind = Objects.requireNonNull(kind, "kind");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.where = where == null ? "" : where;
        this.details = details == null ? "" : details;
        this.hint = hint == null ? "" : hint;
        this.about = Objects.requireNonNull(about, "about");
    }

    /** The same violation with another fix. */
    public Finding withHint(String otherHint) {
        return new Finding(kind, subject, where, details, otherHint, about);
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public String subject() {
        return subject;
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public String details() {
        return details;
    }

    @Override
    public String hint() {
        return hint;
    }

    @Override
    public Optional<CapturedThread> thread() {
        return Optional.ofNullable(about.thread());
    }

    @Override
    public Optional<CapturedTask> task() {
        return Optional.ofNullable(about.task());
    }

    @Override
    public Optional<CapturedExecutor> executor() {
        return Optional.ofNullable(about.executor());
    }

    @Override
    public Optional<CapturedHook> hook() {
        return Optional.ofNullable(about.hook());
    }

    @Override
    public Optional<CallSite> site() {
        return Optional.ofNullable(about.site());
    }

    @Override
    public String toString() {
        return kind + ": " + subject + (where.isEmpty() ? "" : " (" + where + ")");
    }
}
