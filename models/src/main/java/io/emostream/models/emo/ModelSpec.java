package io.emostream.models.emo;

import io.emostream.models.card.ModelCard.Task;

/**
 * What to build: an EMO backbone with the head of a task.
 *
 * @param arch      backbone size
 * @param task      CLASSIFICATION (ImageNet head), DETECTION (SSDLite on stages 3 and 4) or SEGMENTATION
 *                  (DeepLabv3 on stage 4)
 * @param window    attention window size (not tied to any weight)
 * @param attnPre   true (all released models): attend, then expand; false: expand, then attend
 * @param classes   number of classes; for CLASSIFICATION 0 means the bare backbone, whose output is stage 4
 * @param inputSize square input side in pixels, a multiple of 32
 */
public record ModelSpec(EmoArch arch, Task task, int window, boolean attnPre, int classes, int inputSize) {
    public static final int MAX_INPUT_SIZE = 2048;

    public ModelSpec {
        if (arch == null || task == null) {
            throw new IllegalArgumentException("architecture and task are required");
        }
        if (window < 1) {
            throw new IllegalArgumentException("window size must be at least 1, got " + window);
        }
        if (classes < 0 || (classes == 0 && task != Task.CLASSIFICATION)) {
            throw new IllegalArgumentException("classes must be at least 1 for " + task.name().toLowerCase()
                    + ", got " + classes);
        }
        if (inputSize < 32 || inputSize > MAX_INPUT_SIZE || inputSize % 32 != 0) {
            throw new IllegalArgumentException("input size must be a multiple of 32 between 32 and "
                    + MAX_INPUT_SIZE + ", got " + inputSize);
        }
    }

    /** The authors' settings: 224/1000 classes, SSDLite 320/COCO 80, DeepLabv3 512/ADE20K 150. */
    public static ModelSpec defaults(EmoArch arch, Task task) {
        return switch (task) {
            case CLASSIFICATION -> new ModelSpec(arch, task, 7, true, 1000, 224);
            case DETECTION -> new ModelSpec(arch, task, arch.detectionWindow(), true, 80, 320);
            case SEGMENTATION -> new ModelSpec(arch, task, arch.segmentationWindow(), true, 150, 512);
        };
    }

    /** The bare backbone (no classifier), input 224. */
    public static ModelSpec backbone(EmoArch arch) {
        return defaults(arch, Task.CLASSIFICATION).withClasses(0);
    }

    public ModelSpec withWindow(int w) { return new ModelSpec(arch, task, w, attnPre, classes, inputSize); }

    public ModelSpec withAttnPre(boolean a) { return new ModelSpec(arch, task, window, a, classes, inputSize); }

    public ModelSpec withClasses(int c) { return new ModelSpec(arch, task, window, attnPre, c, inputSize); }

    public ModelSpec withInputSize(int s) { return new ModelSpec(arch, task, window, attnPre, classes, s); }

    /**
     * {@code emo-1m-ssdlite}, {@code emo-1m-deeplabv3}, {@code emo-1m} (classifier), {@code emo-1m-backbone}; options
     * that differ from the defaults are appended ({@code -w10}, {@code -c20}, {@code -s384}, {@code -post}), so
     * differently built models never share a file name.
     */
    public String name() {
        String base = arch.id() + switch (task) {
            case CLASSIFICATION -> classes == 0 ? "-backbone" : "";
            case DETECTION -> "-ssdlite";
            case SEGMENTATION -> "-deeplabv3";
        };
        ModelSpec d = defaults(arch, task);
        StringBuilder name = new StringBuilder(base);
        if (window != d.window) name.append("-w").append(window);
        if (classes != d.classes && classes != 0) name.append("-c").append(classes);
        if (inputSize != d.inputSize) name.append("-s").append(inputSize);
        if (!attnPre) name.append("-post");
        return name.toString();
    }

    /** e.g. {@code EMO-1M backbone + SSDLite head (window 7, attn_pre)}. */
    public String description() {
        String head = switch (task) {
            case CLASSIFICATION -> classes == 0 ? "backbone" : "backbone + classifier (" + classes + " classes)";
            case DETECTION -> "backbone + SSDLite head (" + classes + " classes)";
            case SEGMENTATION -> "backbone + DeepLabv3 head (" + classes + " classes)";
        };
        return arch.displayName() + " " + head + ", input " + inputSize + ", window " + window
                + (attnPre ? ", attn_pre" : ", attn_post");
    }
}
