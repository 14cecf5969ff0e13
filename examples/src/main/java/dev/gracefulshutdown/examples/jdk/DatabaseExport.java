package dev.gracefulshutdown.examples.jdk;

import static dev.gracefulshutdown.examples.jdk.Options.awaitTermination;
import static dev.gracefulshutdown.examples.jdk.Options.option;
import static dev.gracefulshutdown.examples.jdk.Options.sleep;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An export that writes 15 rows (100 ms each) over a JDBC connection (H2 in memory) on a pool of its own. The task
 * catches the {@link SQLException}, logs it and returns, as much real code does: the task "completes". A hook
 * closes the connection and shuts the pool down. By {@code --close-order=}:
 * <ul>
 *   <li>{@code connection-first}: the connection is closed first, under the running export, which fails on its
 *   next row, logs and returns; the pool then terminates at once.</li>
 *   <li>{@code pool-first}: the pool is shut down and awaited (4 s) first, the connection closed after it.</li>
 * </ul>
 * Prints {@code export started} once rows are being written and {@code export written} when all are.
 */
public final class DatabaseExport {

    private final ExecutorService exports = Executors.newFixedThreadPool(1);
    private final Connection connection;

    DatabaseExport() throws SQLException {
        connection = DriverManager.getConnection("jdbc:h2:mem:exports;DB_CLOSE_DELAY=-1");
        try (var statement = connection.createStatement()) {
            statement.execute("create table if not exists export_rows(export varchar(20), row_number int)");
        }
    }

    public static void main(String[] args) throws SQLException {
        String order = option(args, "--close-order=", "pool-first");
        DatabaseExport service = new DatabaseExport();
        Runnable shutdown = switch (order) {
            case "connection-first" -> () -> {
                service.closeConnection();
                service.shutdownPool();
            };
            case "pool-first" -> () -> {
                service.shutdownPool();
                service.closeConnection();
            };
            default -> throw new IllegalArgumentException("--close-order=connection-first|pool-first, not " + order);
        };
        Runtime.getRuntime().addShutdownHook(new Thread(shutdown, "export-shutdown"));
        service.exports.execute(() -> service.write("q3", 15));
    }   // the pool's worker is not a daemon: the service runs on

    void write(String export, int rows) {
        System.out.println("export started");
        try (PreparedStatement insert = connection.prepareStatement("insert into export_rows values (?, ?)")) {
            for (int row = 1; row <= rows; row++) {
                insert.setString(1, export);
                insert.setInt(2, row);
                insert.executeUpdate();
                sleep(100);
            }
        } catch (SQLException e) {
            System.out.println("export failed: " + e); // logged, and the task returns normally
            return;
        }
        System.out.println("export written");
    }

    void shutdownPool() {
        exports.shutdown();
        awaitTermination(exports, 4);
    }

    void closeConnection() {
        try {
            connection.close();
        } catch (SQLException e) {
            System.out.println("closing the connection failed: " + e);
        }
    }
}
