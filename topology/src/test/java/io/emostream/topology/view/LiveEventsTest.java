package io.emostream.topology.view;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The update stream over real HTTP, with a page that reads and one that stopped reading. */
class LiveEventsTest {
    private static final int QUEUE = 8;
    /** 2,000 updates of 32 KiB: 64 MiB, far more than the socket buffers hold for the page that does not read. */
    private static final int UPDATES = 2_000;
    private static final String PADDING = "x".repeat(32 * 1024);

    private static byte[] update(String camera, long sequence) {
        return ("event: update\ndata: {\"cameraId\":\"" + camera + "\",\"sequence\":" + sequence + ",\"pad\":\""
                + PADDING + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aPageThatStopsReadingNeitherBlocksTheProducerNorHoldsMoreThanItsQueueAndTheOtherPageGetsTheUpdates()
            throws Exception {
        try (LiveHttp http = new LiveHttp(new LiveViewSettings(true, 5, QUEUE, 4));
             Socket stuck = http.request("GET", LiveEvents.PATH);
             Socket reading = http.request("GET", LiveEvents.PATH)) {
            AtomicLong lastSeen = new AtomicLong(-1);
            Thread reader = new Thread(() -> readSequences(reading, lastSeen));
            reader.start();
            awaitPages(http.view.hub(), 2);

            // a guard against a hang, not a measurement: publishing must return whatever the pages do
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                for (long s = 0; s < UPDATES; s++) http.view.hub().publish("cam-1", update("cam-1", s));
            });

            List<UpdateQueue> pages = http.view.hub().pages();
            assertEquals(2, pages.size());
            pages.forEach(page -> assertTrue(page.size() <= QUEUE, "queued " + page.size()));
            assertTrue(pages.stream().anyMatch(page -> page.dropped() > 0),
                    "the page that stopped reading lost its oldest updates instead of holding them");
            assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
                while (lastSeen.get() != UPDATES - 1) Thread.sleep(20);
            }, "the reading page gets the newest update");
            reader.interrupt();
        }
    }

    @Test
    void aPageForOneCameraGetsOnlyThatCamerasUpdatesStartingWithItsLatest() throws Exception {
        try (LiveHttp http = new LiveHttp(LiveViewSettings.defaults())) {
            http.view.hub().publish("cam-1", update("cam-1", 1));
            http.view.hub().publish("cam-2", update("cam-2", 1));
            try (Socket page = http.request("GET", LiveEvents.PATH + "?camera=cam-2")) {
                BufferedReader in = reader(page);
                assertEquals("HTTP/1.1 200 OK", in.readLine());
                awaitPages(http.view.hub(), 1);
                http.view.hub().publish("cam-1", update("cam-1", 2));
                http.view.hub().publish("cam-2", update("cam-2", 2));
                assertEquals(List.of("cam-2:1", "cam-2:2"), List.of(nextUpdate(in), nextUpdate(in)));
            }
        }
    }

    @Test
    void morePagesThanAllowedAreTurnedAwayWithAMessage() throws Exception {
        try (LiveHttp http = new LiveHttp(new LiveViewSettings(true, 5, QUEUE, 1));
             Socket first = http.request("GET", LiveEvents.PATH)) {
            awaitPages(http.view.hub(), 1);
            String second = http.answer("GET", LiveEvents.PATH);
            assertTrue(second.startsWith("HTTP/1.1 503"), second);
            assertTrue(second.contains(LiveViewSettings.MAX_CLIENTS), second);
        }
    }

    private static void readSequences(Socket socket, AtomicLong lastSeen) {
        try {
            BufferedReader in = reader(socket);
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.startsWith("data: ")) continue;
                int at = line.indexOf("\"sequence\":") + "\"sequence\":".length();
                lastSeen.set(Long.parseLong(line.substring(at, line.indexOf(',', at))));
            }
        } catch (IOException e) {
            // the test closed the socket
        }
    }

    /** "camera:sequence" of the next update event. */
    private static String nextUpdate(BufferedReader in) throws IOException {
        for (String line; (line = in.readLine()) != null; ) {
            if (!line.startsWith("data: ")) continue;
            String camera = line.substring(line.indexOf("cameraId\":\"") + 11, line.indexOf("\",\"sequence"));
            int at = line.indexOf("\"sequence\":") + "\"sequence\":".length();
            return camera + ":" + line.substring(at, line.indexOf(',', at));
        }
        throw new IOException("the stream ended");
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void awaitPages(LiveHub hub, int count) throws InterruptedException {
        for (int i = 0; i < 1000 && hub.pages().size() < count; i++) Thread.sleep(10);
        assertEquals(count, hub.pages().size(), "open pages");
    }
}
