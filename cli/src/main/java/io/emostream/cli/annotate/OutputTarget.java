package io.emostream.cli.annotate;

import io.emostream.cli.UsageException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@code --out} names: an H.264 MP4 ({@code FILE.mp4}) or a directory of JPEGs (an existing directory, or a new
 * one named without an extension). Checked before anything is read, so that a bad path fails at once; nothing is
 * created until the first frame is written.
 */
public record OutputTarget(Path path, boolean video) {
    /**
     * @throws UsageException when {@code out} is neither a .mp4 file nor a directory, or its directory cannot be
     *                        written
     */
    public static OutputTarget of(Path out) {
        Path absolute = out.toAbsolutePath().normalize();
        String name = absolute.getFileName() == null ? "" : absolute.getFileName().toString();
        if (Files.isDirectory(absolute)) {
            requireWritable(absolute, out);
            return new OutputTarget(absolute, false);
        }
        if (Files.exists(absolute) && !Files.isRegularFile(absolute)) {
            throw new UsageException("--out " + out + " exists and is neither a file nor a directory");
        }
        requireWritable(absolute.getParent(), out);
        if (name.toLowerCase(Locale.ROOT).endsWith(".mp4")) return new OutputTarget(absolute, true);
        if (!name.contains(".")) return new OutputTarget(absolute, false);
        throw new UsageException("--out " + out + ": give a .mp4 file for a video, or a directory for JPEG frames");
    }

    /** Opens the output; a video plays at {@code framesPerSecond}. */
    AnnotatedOutput open(double framesPerSecond) {
        return video ? new Mp4Output(path, framesPerSecond) : new JpegFramesOutput(path);
    }

    private static void requireWritable(Path dir, Path out) {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UsageException("--out " + out + ": " + dir + " is not a directory; create it first");
        }
        if (!Files.isWritable(dir)) {
            throw new UsageException("--out " + out + ": cannot write into " + dir);
        }
    }
}
