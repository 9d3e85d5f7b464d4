package io.emostream.models.emo;

import io.emostream.models.card.ModelCard.Task;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The head on the EMO backbone: the ImageNet classifier, or one of the four downstream frameworks the paper evaluates
 * (docs/MODELS.md, "The heads"). Each knows its task and the authors' settings: the dataset's classes, the input
 * size, and which of {@link EmoArch}'s window sizes the authors configured for it.
 */
public enum Head {
    CLASSIFIER(Task.CLASSIFICATION, "classifier"),
    SSDLITE(Task.DETECTION, "SSDLite"),
    RETINANET(Task.DETECTION, "RetinaNet"),
    DEEPLABV3(Task.SEGMENTATION, "DeepLabv3"),
    PSPNET(Task.SEGMENTATION, "PSPNet");

    private final Task task;
    private final String displayName;

    Head(Task task, String displayName) {
        this.task = task;
        this.displayName = displayName;
    }

    public Task task() { return task; }

    /** {@code retinanet}, as in model names and on the command line. */
    public String id() { return name().toLowerCase(Locale.ROOT); }

    public String displayName() { return displayName; }

    /** The classes of the task's dataset: ImageNet 1000, COCO 80, ADE20K 150. */
    public int defaultClasses() {
        return switch (task) {
            case CLASSIFICATION -> 1000;
            case DETECTION -> 80;
            case SEGMENTATION -> 150;
        };
    }

    /**
     * The authors' training input: ImageNet 224, SSDLite 320, the segmentation crops 512; RetinaNet 800, the shorter
     * side of the authors' COCO test scale (1333, 800).
     */
    public int defaultInputSize() {
        return switch (this) {
            case CLASSIFIER -> 224;
            case SSDLITE -> 320;
            case RETINANET -> 800;
            case DEEPLABV3, PSPNET -> 512;
        };
    }

    /** The attention window the authors trained this head with on {@code arch}. */
    public int defaultWindow(EmoArch arch) {
        return switch (task) {
            case CLASSIFICATION -> 7;
            case DETECTION -> arch.detectionWindow();
            case SEGMENTATION -> arch.segmentationWindow();
        };
    }

    /** The head a task gets when none is named: the one the project built first. */
    public static Head of(Task task) {
        return switch (task) {
            case CLASSIFICATION -> CLASSIFIER;
            case DETECTION -> SSDLITE;
            case SEGMENTATION -> DEEPLABV3;
        };
    }

    /** Parses {@code retinanet} (case-insensitive). */
    public static Head parse(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (Head head : values()) {
            if (head.id().equals(wanted)) {
                return head;
            }
        }
        throw new IllegalArgumentException("unknown head '" + name + "'; valid: " + Arrays.stream(values())
                .map(Head::id).collect(Collectors.joining(", ")));
    }
}
