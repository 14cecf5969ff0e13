package dev.gracefulshutdown.examples;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** What a user of the {@link dev.gracefulshutdown.examples.http.ExportService} does: asks for an export. */
final class ExportClient {

    private ExportClient() {
    }

    /** {@code POST /exports}: the service accepts an export and writes it in the background. */
    static void startExport(String host, int port) {
        try {
            HttpURLConnection post = (HttpURLConnection) URI.create("http://" + host + ":" + port + "/exports").toURL().openConnection();
            post.setRequestMethod("POST");
            post.setDoOutput(true);
            post.setConnectTimeout(5_000);
            post.setReadTimeout(5_000);
            try (OutputStream body = post.getOutputStream()) {
                body.write("{\"report\":\"q3\"}".getBytes(StandardCharsets.UTF_8));
            }
            if (post.getResponseCode() != 202) {
                throw new IllegalStateException("POST /exports answered " + post.getResponseCode());
            }
            post.disconnect();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
