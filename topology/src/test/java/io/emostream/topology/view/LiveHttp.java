package io.emostream.topology.view;

import io.emostream.topology.http.HttpApiServer;
import io.emostream.topology.http.HttpSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A live view on an HTTP server of a free loopback port, and raw requests to it (paths sent exactly as given). */
final class LiveHttp implements AutoCloseable {
    final LiveView view;
    final HttpApiServer server;

    LiveHttp(LiveViewSettings settings) {
        view = LiveView.create(settings, true, false, false);
        server = HttpApiServer.start(new HttpSettings("127.0.0.1", 0, "127.0.0.1", 2, Duration.ofSeconds(5)));
        view.addTo(server);
    }

    /** A socket that has sent {@code method path}, its answer unread. */
    Socket request(String method, String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        OutputStream out = socket.getOutputStream();
        out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** The whole answer to {@code method path}: status line, headers and body. */
    String answer(String method, String path) throws IOException {
        try (Socket socket = request(method, path); InputStream in = socket.getInputStream()) {
            socket.setSoTimeout(10_000);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        view.close();
        server.close();
    }
}
