package dev.gracefulshutdown.examples.quartz;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * A Quartz 2.5 scheduler (in-memory job store, no database) that runs an export job (1.5 s) right away.
 * {@code main} starts the scheduler and returns; Quartz's non-daemon threads keep the JVM running. At
 * {@code SIGTERM}, by {@code --shutdown=}:
 * <ul>
 *   <li>{@code no-wait}: a hook calls {@code scheduler.shutdown(false)}: the scheduler stops firing triggers but
 *   does not wait for running jobs, and the JVM halts as soon as the hook returns.</li>
 *   <li>{@code wait}: a hook calls {@code scheduler.shutdown(true)}: it returns once the running jobs are done.</li>
 * </ul>
 * Prints {@code export started} once the job runs and {@code export written} when it is done.
 */
public final class ExportScheduler {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    public static void main(String[] args) throws SchedulerException {
        String shutdown = option(args, "--shutdown=", "wait");
        long exportMillis = Long.parseLong(option(args, "--export-millis=", "1500"));
        Scheduler scheduler = scheduler();
        boolean waitForJobs = switch (shutdown) {
            case "no-wait" -> false;
            case "wait" -> true;
            default -> throw new IllegalArgumentException("--shutdown=no-wait|wait, not " + shutdown);
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                scheduler.shutdown(waitForJobs);
            } catch (SchedulerException e) {
                System.out.println("scheduler.shutdown failed: " + e);
            }
        }, "quartz-shutdown"));
        scheduler.start();
        scheduler.scheduleJob(
                JobBuilder.newJob(ExportJob.class).withIdentity("export-q3").usingJobData("millis", exportMillis).build(),
                TriggerBuilder.newTrigger().startNow().build());
    }   // the scheduler's threads are not daemons: the application runs on

    static Scheduler scheduler() throws SchedulerException {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "exports-" + INSTANCES.incrementAndGet()); // Quartz keeps schedulers by name, JVM-wide
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        properties.setProperty("org.quartz.threadPool.threadCount", "2");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        return new StdSchedulerFactory(properties).getScheduler();
    }

    /** Writes an export. */
    public static final class ExportJob implements Job {

        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            System.out.println("export started on " + Thread.currentThread().getName());
            try {
                Thread.sleep(context.getMergedJobDataMap().getLong("millis")); // rows written to the export file
            } catch (InterruptedException e) {
                System.out.println("export interrupted: " + e);
                Thread.currentThread().interrupt();
                throw new JobExecutionException(e);
            }
            System.out.println("export written");
        }
    }

    private static String option(String[] args, String prefix, String otherwise) {
        for (String arg : args) {
            if (arg.startsWith(prefix)) {
                return arg.substring(prefix.length());
            }
        }
        return otherwise;
    }
}
