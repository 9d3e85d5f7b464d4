package io.emostream.bench.jmh;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.DecodeReduction;
import io.emostream.models.image.DecodedImage;
import io.emostream.models.image.ImageDecoder;
import io.emostream.models.image.ImageFormat;
import io.emostream.models.image.ImageLimits;
import io.emostream.models.runtime.PreparedInput;
import io.emostream.models.runtime.Preprocessor;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_core.randu;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imencode;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;

/** A 1280x720 JPEG to a 320x320 NCHW float row (EMO SSDLite's input: RGB, ImageNet mean/std, stretch). */
@State(Scope.Thread)
public class PreprocessBenchmark {
    private byte[] jpeg;
    private ImageDecoder decoder;
    private Preprocessor preprocessor;
    private DecodedImage decoded;
    private DecodeReduction reduction;

    @Setup(Level.Trial)
    public void setUp() {
        try (Mat noise = new Mat(720, 1280, CV_8UC3); Mat smooth = new Mat();
             Scalar zero = Scalar.all(0); Scalar full = Scalar.all(255);
             Mat low = new Mat(1, 1, CV_64FC1, zero); Mat high = new Mat(1, 1, CV_64FC1, full);
             BytePointer out = new BytePointer()) {
            randu(noise, low, high); // smoothed noise: a JPEG of realistic size
            GaussianBlur(noise, smooth, new org.bytedeco.opencv.opencv_core.Size(9, 9), 3);
            imencode(".jpg", smooth, out);
            jpeg = new byte[(int) out.limit()];
            out.get(jpeg);
        }
        decoder = new ImageDecoder(ImageLimits.DEFAULT);
        ModelCard.InputSpec input = new ModelCard.InputSpec("input", new long[] {-1, 3, 320, 320}, "NCHW", "RGB",
                new float[] {123.675f, 116.28f, 103.53f}, new float[] {58.395f, 57.12f, 57.375f},
                ModelCard.Resize.STRETCH, 0);
        preprocessor = new Preprocessor(input, 4);
        reduction = DecodeReduction.forInputs(java.util.List.of(input));
        try {
            decoded = decoder.decode(jpeg, ImageFormat.JPEG, 1280, 720);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        decoded.close();
    }

    /** Resize, colour order and normalisation of an already decoded frame. */
    @Benchmark
    public float preprocess() {
        try (PreparedInput in = preprocessor.prepare(decoded)) {
            return in.data().get(0);
        }
    }

    /** The same with the JPEG decoded at half size (640x360), as a processor does for a 320x320 input. */
    @Benchmark
    public float decodeReducedAndPreprocess() throws Exception {
        try (DecodedImage image = decoder.decode(jpeg, ImageFormat.JPEG, 1280, 720, reduction);
             PreparedInput in = preprocessor.prepare(image)) {
            return in.data().get(0);
        }
    }

    /** JPEG decode (with header checks) at full size plus pre-processing. */
    @Benchmark
    public float decodeAndPreprocess() throws Exception {
        try (DecodedImage image = decoder.decode(jpeg, ImageFormat.JPEG, 1280, 720);
             PreparedInput in = preprocessor.prepare(image)) {
            return in.data().get(0);
        }
    }
}
