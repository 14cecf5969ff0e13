package dev.gracefulshutdown.examples.spring;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/** Story 3: one Spring configuration per way of setting up the {@code @Async} executor. */
public final class AsyncConfigurations {

    private AsyncConfigurations() {
    }

    static ThreadPoolTaskExecutor executor() {
        ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
        executor.setCorePoolSize(2);
        executor.setThreadNamePrefix("async-");
        return executor;
    }

    /** {@code waitForTasksToCompleteOnShutdown(true)} plus {@code awaitTerminationSeconds(10)}. */
    static ThreadPoolTaskExecutor awaitingExecutor() {
        ThreadPoolTaskExecutor executor = executor();
        executor.setWaitForTasksToCompleteOnShutdown(true);
        executor.setAwaitTerminationSeconds(10);
        return executor;
    }

    /** Spring's defaults: {@code waitForTasksToCompleteOnShutdown=false}, {@code awaitTerminationSeconds=0}. */
    @Configuration
    @EnableAsync
    @Import(ExportJob.class)
    public static class Defaults {
        @Bean
        public ThreadPoolTaskExecutor taskExecutor() {
            return executor();
        }
    }

    /** {@code waitForTasksToCompleteOnShutdown(true)} alone (Boot: {@code spring.task.execution.shutdown.await-termination=true}). */
    @Configuration
    @EnableAsync
    @Import(ExportJob.class)
    public static class WaitForTasks {
        @Bean
        public ThreadPoolTaskExecutor taskExecutor() {
            ThreadPoolTaskExecutor executor = executor();
            executor.setWaitForTasksToCompleteOnShutdown(true);
            return executor;
        }
    }

    /** That plus {@code awaitTerminationSeconds(10)} (Boot: {@code ...await-termination-period=10s}). */
    @Configuration
    @EnableAsync
    @Import(ExportJob.class)
    public static class WaitForTasksAndAwait {
        @Bean
        public ThreadPoolTaskExecutor taskExecutor() {
            return awaitingExecutor();
        }
    }

    /**
     * The executor waits for its tasks, but the container destroys the {@link DataSource} first: beans are
     * destroyed in the reverse order of their creation, and the executor was created before the data source.
     */
    @Configuration
    @EnableAsync
    public static class DataSourceClosedFirst {
        @Bean
        public ThreadPoolTaskExecutor taskExecutor() {
            return awaitingExecutor();
        }

        @Bean
        public DataSource dataSource() {
            return h2();
        }

        @Bean
        public InvoiceJob invoiceJob(DataSource dataSource) {
            return new InvoiceJob(dataSource);
        }
    }

    /** The fix: the executor depends on the data source, so it is destroyed, and awaited, before it. */
    @Configuration
    @EnableAsync
    public static class ExecutorDependsOnDataSource {
        @Bean
        @DependsOn("dataSource")
        public ThreadPoolTaskExecutor taskExecutor() {
            return awaitingExecutor();
        }

        @Bean
        public DataSource dataSource() {
            return h2();
        }

        @Bean
        public InvoiceJob invoiceJob(DataSource dataSource) {
            return new InvoiceJob(dataSource);
        }
    }

    static HikariDataSource h2() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:invoices;DB_CLOSE_DELAY=-1");
        dataSource.setMaximumPoolSize(2);
        dataSource.setPoolName("invoices");
        return dataSource;
    }
}
