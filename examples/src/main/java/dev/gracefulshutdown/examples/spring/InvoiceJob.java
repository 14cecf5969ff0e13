package dev.gracefulshutdown.examples.spring;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.springframework.scheduling.annotation.Async;

/** Story 3, last part: an {@code @Async} billing run that needs the {@link DataSource} for every invoice. */
public class InvoiceJob {

    private final DataSource dataSource;
    private final AtomicInteger billed = new AtomicInteger();

    public InvoiceJob(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Async
    public CompletableFuture<Integer> bill(int invoices, Duration perInvoice) throws SQLException, InterruptedException {
        for (int i = 0; i < invoices; i++) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1"); // stands for writing the invoice
            }
            billed.incrementAndGet();
            Thread.sleep(perInvoice.toMillis());
        }
        return CompletableFuture.completedFuture(invoices);
    }

    public int billed() {
        return billed.get();
    }
}
