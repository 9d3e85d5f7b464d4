package io.emostream.cli.ingest;

import io.emostream.cli.embedded.BrokerPerClass;
import io.emostream.ingest.SyntheticVideo;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One embedded broker and one synthetic 160x120 video at 10 fps for a test class:
 * {@code @RegisterExtension static final BrokerWithVideo kafka = new BrokerWithVideo(40);}.
 */
final class BrokerWithVideo extends BrokerPerClass {
    private final int frames;
    private Path dir;
    private Path video;

    BrokerWithVideo(int frames) {
        this.frames = frames;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            dir = Files.createTempDirectory("ingest-test");
            video = dir.resolve("synthetic.mp4");
            int written = SyntheticVideo.write(video, 160, 120, 10, frames / 10.0);
            if (written != frames) throw new IllegalStateException("wrote " + written + " frames, not " + frames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        super.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        super.afterAll(context);
        try {
            Files.deleteIfExists(video);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The video, {@code frames} frames long. */
    Path video() {
        return video;
    }
}
