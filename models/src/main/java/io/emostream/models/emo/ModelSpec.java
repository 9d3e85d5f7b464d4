package io.emostream.models.emo;

import io.emostream.models.card.ModelCard.Task;

/**
 * What to build: an EMO backbone with a head.
 *
 * @param arch      backbone size
 * @param head      CLASSIFIER (ImageNet), SSDLITE or RETINANET (detection), DEEPLABV3 or PSPNET (segmentation)
 * @param window    attention window size (not tied to any weight)
 * @param attnPre   true (all released models): attend, then expand; false: expand, then attend
 * @param classes   number of classes; for CLASSIFIER 0 means the bare backbone, whose output is stage 4
 * @param inputHeight input height in pixels
 * @param inputWidth  input width in pixels: a graph has one input size (its attention grid, pooling matrices and
 *                    anchor counts follow it), and the weights do not depend on it. Each side 32..2048; a multiple of
 *                    32 for the detection heads (the SSD levels and the FPN's 2x steps need it); SSDLite is square
 *                    (its anchors are). Models whose input follows the frame's aspect ratio (FIT cards) get one graph
 *                    per size.
 */
public record ModelSpec(EmoArch arch, Head head, int window, boolean attnPre, int classes, int inputHeight,
                        int inputWidth) {
    public static final int MAX_INPUT_SIZE = 2048;

    public ModelSpec {
        if (arch == null || head == null) {
            throw new IllegalArgumentException("architecture and head are required");
        }
        if (window < 1) {
            throw new IllegalArgumentException("window size must be at least 1, got " + window);
        }
        if (classes < 0 || (classes == 0 && head != Head.CLASSIFIER)) {
            throw new IllegalArgumentException("classes must be at least 1 for " + head.task().name().toLowerCase()
                    + ", got " + classes);
        }
        boolean detection = head.task() == Task.DETECTION;
        for (int side : new int[]{inputHeight, inputWidth}) {
            if (side < 32 || side > MAX_INPUT_SIZE || (detection && side % 32 != 0)) {
                throw new IllegalArgumentException("input size must be " + (detection ? "a multiple of 32 " : "")
                        + "between 32 and " + MAX_INPUT_SIZE + ", got " + side);
            }
        }
        if (head == Head.SSDLITE && inputHeight != inputWidth) {
            throw new IllegalArgumentException("SSDLite is built square (its anchors are), got " + inputHeight + "x"
                    + inputWidth);
        }
    }

    /** A square input of side {@code inputSize}. */
    public ModelSpec(EmoArch arch, Head head, int window, boolean attnPre, int classes, int inputSize) {
        this(arch, head, window, attnPre, classes, inputSize, inputSize);
    }

    /** The authors' settings for the task's first head: 224/1000 classes, SSDLite 320/COCO 80, DeepLabv3 512/150. */
    public static ModelSpec defaults(EmoArch arch, Task task) {
        return defaults(arch, Head.of(task));
    }

    /** The authors' settings for the head: its classes, input size and window on this size. */
    public static ModelSpec defaults(EmoArch arch, Head head) {
        return new ModelSpec(arch, head, head.defaultWindow(arch), true, head.defaultClasses(),
                head.defaultInputSize());
    }

    /** The bare backbone (no classifier), input 224. */
    public static ModelSpec backbone(EmoArch arch) {
        return defaults(arch, Head.CLASSIFIER).withClasses(0);
    }

    public Task task() { return head.task(); }

    /** The side of a square input. @throws IllegalStateException for a non-square one */
    public int inputSize() {
        if (inputHeight != inputWidth) {
            throw new IllegalStateException(name() + " has a " + inputHeight + "x" + inputWidth
                    + " input, not a square");
        }
        return inputHeight;
    }

    public boolean square() { return inputHeight == inputWidth; }

    public ModelSpec withWindow(int w) {
        return new ModelSpec(arch, head, w, attnPre, classes, inputHeight, inputWidth);
    }

    public ModelSpec withAttnPre(boolean a) {
        return new ModelSpec(arch, head, window, a, classes, inputHeight, inputWidth);
    }

    public ModelSpec withClasses(int c) {
        return new ModelSpec(arch, head, window, attnPre, c, inputHeight, inputWidth);
    }

    public ModelSpec withInputSize(int s) { return withInputSize(s, s); }

    public ModelSpec withInputSize(int height, int width) {
        return new ModelSpec(arch, head, window, attnPre, classes, height, width);
    }

    /**
     * {@code emo-1m-ssdlite}, {@code emo-1m-retinanet}, {@code emo-1m-deeplabv3}, {@code emo-1m-pspnet},
     * {@code emo-1m} (classifier), {@code emo-1m-backbone}; options that differ from the defaults are appended
     * ({@code -w10}, {@code -c20}, {@code -s384} or, not square, {@code -s480x640} (height x width), {@code -post}),
     * so differently built models never share a file name.
     */
    public String name() {
        String base = arch.id() + (head == Head.CLASSIFIER ? (classes == 0 ? "-backbone" : "") : "-" + head.id());
        ModelSpec d = defaults(arch, head);
        StringBuilder name = new StringBuilder(base);
        if (window != d.window) name.append("-w").append(window);
        if (classes != d.classes && classes != 0) name.append("-c").append(classes);
        if (!square()) name.append("-s").append(inputHeight).append('x').append(inputWidth);
        else if (inputHeight != d.inputHeight) name.append("-s").append(inputHeight);
        if (!attnPre) name.append("-post");
        return name.toString();
    }

    /** e.g. {@code EMO-1M backbone + SSDLite head (80 classes), input 320, window 7, attn_pre}. */
    public String description() {
        String what = head == Head.CLASSIFIER
                ? (classes == 0 ? "backbone" : "backbone + classifier (" + classes + " classes)")
                : "backbone + " + head.displayName() + " head (" + classes + " classes)";
        return arch.displayName() + " " + what + ", input " + (square() ? inputHeight
                : inputHeight + "x" + inputWidth) + ", window " + window
                + (attnPre ? ", attn_pre" : ", attn_post");
    }
}
