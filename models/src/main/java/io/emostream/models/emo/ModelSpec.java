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
 * @param inputSize square input side in pixels, a multiple of 32
 */
public record ModelSpec(EmoArch arch, Head head, int window, boolean attnPre, int classes, int inputSize) {
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
        if (inputSize < 32 || inputSize > MAX_INPUT_SIZE || inputSize % 32 != 0) {
            throw new IllegalArgumentException("input size must be a multiple of 32 between 32 and "
                    + MAX_INPUT_SIZE + ", got " + inputSize);
        }
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

    public ModelSpec withWindow(int w) { return new ModelSpec(arch, head, w, attnPre, classes, inputSize); }

    public ModelSpec withAttnPre(boolean a) { return new ModelSpec(arch, head, window, a, classes, inputSize); }

    public ModelSpec withClasses(int c) { return new ModelSpec(arch, head, window, attnPre, c, inputSize); }

    public ModelSpec withInputSize(int s) { return new ModelSpec(arch, head, window, attnPre, classes, s); }

    /**
     * {@code emo-1m-ssdlite}, {@code emo-1m-retinanet}, {@code emo-1m-deeplabv3}, {@code emo-1m-pspnet},
     * {@code emo-1m} (classifier), {@code emo-1m-backbone}; options that differ from the defaults are appended
     * ({@code -w10}, {@code -c20}, {@code -s384}, {@code -post}), so differently built models never share a file name.
     */
    public String name() {
        String base = arch.id() + (head == Head.CLASSIFIER ? (classes == 0 ? "-backbone" : "") : "-" + head.id());
        ModelSpec d = defaults(arch, head);
        StringBuilder name = new StringBuilder(base);
        if (window != d.window) name.append("-w").append(window);
        if (classes != d.classes && classes != 0) name.append("-c").append(classes);
        if (inputSize != d.inputSize) name.append("-s").append(inputSize);
        if (!attnPre) name.append("-post");
        return name.toString();
    }

    /** e.g. {@code EMO-1M backbone + SSDLite head (80 classes), input 320, window 7, attn_pre}. */
    public String description() {
        String what = head == Head.CLASSIFIER
                ? (classes == 0 ? "backbone" : "backbone + classifier (" + classes + " classes)")
                : "backbone + " + head.displayName() + " head (" + classes + " classes)";
        return arch.displayName() + " " + what + ", input " + inputSize + ", window " + window
                + (attnPre ? ", attn_pre" : ", attn_post");
    }
}
