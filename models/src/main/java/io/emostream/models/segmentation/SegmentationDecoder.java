package io.emostream.models.segmentation;

import io.emostream.models.card.ModelCard;
import io.emostream.models.image.FrameMapping;
import io.emostream.models.runtime.InferenceException;
import io.emostream.models.runtime.OutputDecoder;
import io.emostream.models.runtime.RowOutput;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

import java.nio.IntBuffer;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.CMP_GT;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC1;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_core.compare;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_NEAREST;
import static org.bytedeco.opencv.global.opencv_imgproc.WARP_INVERSE_MAP;
import static org.bytedeco.opencv.global.opencv_imgproc.warpAffine;

/**
 * Turns segmentation outputs into a run-length encoded label map of the original frame at the output mask size
 * (the frame's aspect ratio, longest side {@code maskMaxSide}, never larger than the frame).
 *
 * <p>LOGITS [C, h, w]: each class plane is resampled bilinearly (half-pixel centres, as {@code align_corners=false})
 * straight from logit space to mask space, undoing the stretch or letterbox in the same step, and the argmax is taken
 * at mask resolution, plane by plane with OpenCV (running maximum), so no C x H x W buffer is ever allocated.
 * LABEL_MAP [1, H, W]: nearest-neighbour resampling. Reported class id = output index + {@code labelOffset}; the
 * label is the card's {@code labels[classId]}.
 */
public final class SegmentationDecoder implements OutputDecoder<RunLengthMask> {
    private final ModelCard.SegmentationSpec spec;
    private final List<String> labels;
    private final int maskMaxSide;

    /** @param maskMaxSide longest side of the mask; 0 = the model input's longest side */
    public SegmentationDecoder(ModelCard card, int maskMaxSide) {
        this.spec = card.segmentation();
        this.labels = card.labels() == null ? List.of() : card.labels();
        this.maskMaxSide = maskMaxSide > 0 ? maskMaxSide : Math.max(card.input().width(), card.input().height());
    }

    String label(int classId) {
        return classId >= 0 && classId < labels.size() ? labels.get(classId) : "class " + classId;
    }

    @Override
    public RunLengthMask decode(RowOutput row, FrameMapping m) throws InferenceException {
        float[] values = row.values(spec.output());
        long[] shape = row.shape(spec.output());
        if (shape.length != 3 || (spec.format() == ModelCard.SegmentationFormat.LABEL_MAP && shape[0] != 1)) {
            throw new InferenceException("segmentation output '" + spec.output() + "' must be "
                    + (spec.format() == ModelCard.SegmentationFormat.LOGITS ? "[N, C, h, w]" : "[N, 1, H, W]")
                    + ", got a row of shape " + java.util.Arrays.toString(shape));
        }
        int planes = (int) shape[0];
        int h = (int) shape[1];
        int w = (int) shape[2];
        double scale = Math.min(1.0, (double) maskMaxSide / Math.max(m.frameWidth(), m.frameHeight()));
        int maskW = Math.max(1, (int) Math.round(m.frameWidth() * scale));
        int maskH = Math.max(1, (int) Math.round(m.frameHeight() * scale));
        int[] labelMap = new int[maskW * maskH];
        try (FloatPointer data = new FloatPointer(values);
             Mat transform = maskToOutput(m, w, h, maskW, maskH);
             Mat classMap = new Mat(maskH, maskW, CV_32SC1, Scalar.all(0));
             Size size = new Size(maskW, maskH)) {
            if (spec.format() == ModelCard.SegmentationFormat.LABEL_MAP) {
                try (Mat map = new Mat(h, w, CV_32FC1, data); Mat resampled = new Mat()) {
                    warpAffine(map, resampled, transform, size, INTER_NEAREST | WARP_INVERSE_MAP, BORDER_REPLICATE, Scalar.all(0));
                    resampled.convertTo(classMap, CV_32SC1);
                }
            } else {
                argmax(data, planes, h, w, transform, size, classMap);
            }
            IntBuffer ids = classMap.createBuffer();
            ids.get(labelMap);
        }
        for (int i = 0; i < labelMap.length; i++) {
            labelMap[i] += spec.labelOffset();
        }
        return RunLengthMask.encode(labelMap, maskW, maskH, this::label);
    }

    private static void argmax(FloatPointer data, int planes, int h, int w, Mat transform, Size size, Mat classMap) {
        try (Mat best = new Mat(); Mat plane = new Mat(); Mat better = new Mat()) {
            for (int c = 0; c < planes; c++) {
                try (Mat logits = new Mat(h, w, CV_32FC1, data.getPointer((long) c * h * w))) {
                    warpAffine(logits, c == 0 ? best : plane, transform, size, INTER_LINEAR | WARP_INVERSE_MAP,
                            BORDER_REPLICATE, Scalar.all(0));
                }
                if (c == 0) {
                    continue;
                }
                compare(plane, best, better, CMP_GT); // ties keep the lower class, as argmax does
                plane.copyTo(best, better);
                try (Scalar id = Scalar.all(c); Mat value = new Mat(1, 1, CV_32SC1, id)) {
                    classMap.setTo(value, better);
                }
            }
        }
    }

    /**
     * Affine map from mask pixel centres to output pixel coordinates: mask -> frame -> model input -> output grid,
     * with half-pixel centres at both ends.
     */
    private static Mat maskToOutput(FrameMapping m, int outW, int outH, int maskW, int maskH) {
        double ax = (double) m.frameWidth() / maskW * m.scaleX() * outW / m.inputWidth();
        double ay = (double) m.frameHeight() / maskH * m.scaleY() * outH / m.inputHeight();
        double bx = (0.5 * m.frameWidth() / maskW * m.scaleX() + m.padX()) * outW / m.inputWidth() - 0.5;
        double by = (0.5 * m.frameHeight() / maskH * m.scaleY() + m.padY()) * outH / m.inputHeight() - 0.5;
        Mat t = new Mat(2, 3, CV_64FC1);
        java.nio.DoubleBuffer d = t.createBuffer();
        d.put(new double[] {ax, 0, bx, 0, ay, by});
        return t;
    }
}
