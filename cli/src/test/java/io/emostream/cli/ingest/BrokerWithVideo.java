package io.emostream.cli.ingest;

import io.emostream.cli.embedded.EmbeddedKafka;
import io.emostream.ingest.SyntheticVideo;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded broker and one synthetic 160x120 video at 10 fps for a test class:
 * {@code @RegisterExtension static final BrokerWithVideo kafka = new BrokerWithVideo(40);}.
 */
final class BrokerWithVideo implements BeforeAllCallback, AfterAllCallback {
    private final int frames;
    private EmbeddedKafka kafka;
    private Path dir;
    private Path video;

    BrokerWithVideo(int frames) {
        this.frames = frames;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("ingest-test");
        video = dir.resolve("synthetic.mp4");
        int written = SyntheticVideo.write(video, 160, 120, 10, frames / 10.0);
        if (written != frames) throw new IllegalStateException("wrote " + written + " frames, not " + frames);
        kafka = EmbeddedKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (kafka != null) kafka.close();
        Files.deleteIfExists(video);
        Files.deleteIfExists(dir);
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    void createTopic(String name, int partitions) {
        kafka.createTopic(name, partitions);
    }

    /** The video, {@code frames} frames long. */
    Path video() {
        return video;
    }
}
