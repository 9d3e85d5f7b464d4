package io.emostream.cli;

import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.ingest.CameraStats;
import io.emostream.ingest.Ingest;
import io.emostream.ingest.SyntheticVideo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's ingest of a real {@code --source} file, bounded by {@code --frames}, on a real broker: the ingest part of
 * {@code demo --source FILE --frames 120} without the models and the application.
 */
class DemoSourceFramesTest {
    @TempDir
    Path dir;

    @Test
    void sourceFileWithFramesIngestsExactlyThatManyAndReadsNoFurther() throws Exception {
        Path video = dir.resolve("long.mp4");
        assertEquals(200, SyntheticVideo.write(video, 160, 120, 10, 20));
        DemoCommand demo = CommandLine.populateCommand(new DemoCommand(), "--source", video.toString(),
                "--frames", "120");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopic("frames", 2);
            CameraStats stats;
            try (Ingest ingest = Ingest.start(demo.ingestSettings(kafka.bootstrapServers(), Map.of(), "frames",
                    demo.cameras(dir, new PrintWriter(new StringWriter()))))) {
                assertTrue(ingest.await(Duration.ofMinutes(2)), "the ingest ended by itself at --frames");
                ingest.close();
                stats = ingest.stats().get("demo-cam-1");
            }
            assertEquals(120, stats.published(), stats.summary());
            assertEquals(120, stats.read(), "no frame read ahead: " + stats.summary());
        }
    }
}
