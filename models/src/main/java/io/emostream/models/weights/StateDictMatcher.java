package io.emostream.models.weights;

import io.emostream.models.card.ModelCard.Task;
import io.emostream.models.emo.Head;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Matches a checkpoint's tensors to the parameters a graph expects, by name. Graph parameters carry the reference
 * names: the EMO state_dict keys for the backbone (a classification checkpoint as the authors publish it), and the
 * mmdet/mmseg keys for the rest ({@code neck.}, {@code bbox_head.}, {@code decode_head.}). Detection and segmentation
 * checkpoints prefix the backbone with {@code backbone.}, which is dropped here.
 */
public final class StateDictMatcher {
    static final String BACKBONE_PREFIX = "backbone.";
    /** Trained alongside, never run at inference: mmseg's auxiliary FCN head on stage 3. */
    static final List<String> TRAINING_ONLY_PREFIXES = List.of("auxiliary_head.");

    /** mmdet SSD head: six anchors per location on every level; the class conv of level 0 gives the class count. */
    private static final String SSD_CLASS_CONV = "bbox_head.cls_convs.0.1.weight";
    private static final int SSD_ANCHORS = 6;
    /** mmdet RetinaHead: nine anchors per location, sigmoid classes without background. */
    private static final String RETINA_CLASS_CONV = "bbox_head.retina_cls.weight";
    private static final int RETINA_ANCHORS = 9;
    private static final String SEG_CLASS_CONV = "decode_head.conv_seg.weight";
    private static final String PSP_MODULES = "decode_head.psp_modules.";
    private static final String CLASSIFIER = "head.weight";

    private StateDictMatcher() { }

    /**
     * @param expected graph parameter name -> shape, in graph order
     * @param what     names the checkpoint in messages
     * @return graph parameter name -> float32 values (row-major), for every expected name
     * @throws WeightMismatchException listing every missing, unexpected and misshapen tensor
     */
    public static Map<String, float[]> match(StateDict stateDict, Map<String, long[]> expected, String what)
            throws WeightMismatchException {
        Map<String, CheckpointTensor> byGraphName = new LinkedHashMap<>();
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, CheckpointTensor> e : stateDict.tensors().entrySet()) {
            String key = e.getKey();
            if (TRAINING_ONLY_PREFIXES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            String name = graphName(key);
            if (!expected.containsKey(name)) {
                unexpected.add(key);
            } else if (byGraphName.put(name, e.getValue()) != null) {
                unexpected.add(key + " (a second tensor for " + name + ")");
            }
        }
        List<String> missing = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            CheckpointTensor t = byGraphName.get(e.getKey());
            if (t == null) {
                missing.add(e.getKey());
            } else if (!t.dtype().isFloating() || !Arrays.equals(t.shape(), e.getValue())) {
                wrongShape.add(e.getKey() + ": checkpoint " + t + ", graph " + Arrays.toString(e.getValue()));
            } else {
                values.put(e.getKey(), t.toFloatArray());
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
            throw new WeightMismatchException(what, missing, unexpected, wrongShape, null);
        }
        return values;
    }

    static String graphName(String checkpointKey) {
        return checkpointKey.startsWith(BACKBONE_PREFIX) ? checkpointKey.substring(BACKBONE_PREFIX.length())
                : checkpointKey;
    }

    /** The checkpoint's tensors that are trained alongside but never run, which {@link #match} leaves out. */
    public static List<String> trainingOnly(StateDict stateDict) {
        return stateDict.tensors().keySet().stream()
                .filter(key -> TRAINING_ONLY_PREFIXES.stream().anyMatch(key::startsWith)).toList();
    }

    /** The head a checkpoint was trained with, from its names; empty for a bare backbone. */
    public static Optional<Head> head(StateDict stateDict) {
        Set<String> keys = stateDict.tensors().keySet();
        if (keys.contains(RETINA_CLASS_CONV)) {
            return Optional.of(Head.RETINANET);
        }
        if (keys.stream().anyMatch(k -> k.startsWith("bbox_head."))) {
            return Optional.of(Head.SSDLITE);
        }
        if (keys.stream().anyMatch(k -> k.startsWith(PSP_MODULES))) {
            return Optional.of(Head.PSPNET);
        }
        if (keys.stream().anyMatch(k -> k.startsWith("decode_head."))) {
            return Optional.of(Head.DEEPLABV3);
        }
        return keys.contains(CLASSIFIER) ? Optional.of(Head.CLASSIFIER) : Optional.empty();
    }

    /** The number of classes the checkpoint's {@code head} was trained on, from its last layer's shape. */
    public static OptionalInt classes(StateDict stateDict, Head head) {
        String key = switch (head) {
            case CLASSIFIER -> CLASSIFIER;
            case SSDLITE -> SSD_CLASS_CONV;
            case RETINANET -> RETINA_CLASS_CONV;
            case DEEPLABV3, PSPNET -> SEG_CLASS_CONV;
        };
        CheckpointTensor t = stateDict.tensors().get(key);
        if (t == null || t.shape().length == 0) {
            return OptionalInt.empty();
        }
        long outputs = t.shape()[0];
        return switch (head) {
            // per anchor: the classes, then background
            case SSDLITE -> outputs % SSD_ANCHORS == 0 && outputs > SSD_ANCHORS
                    ? OptionalInt.of((int) (outputs / SSD_ANCHORS - 1)) : OptionalInt.empty();
            // per anchor: the classes (sigmoid, no background)
            case RETINANET -> outputs % RETINA_ANCHORS == 0 && outputs > 0
                    ? OptionalInt.of((int) (outputs / RETINA_ANCHORS)) : OptionalInt.empty();
            default -> OptionalInt.of((int) outputs);
        };
    }

    /** What to change on the command line when a checkpoint for {@code head} does not fit; null when unclear. */
    public static String hint(StateDict stateDict, Head head, int classes) {
        Task task = head.task();
        Optional<Head> trained = head(stateDict);
        if (trained.isEmpty()) {
            return "the checkpoint holds only a backbone" + (task == Task.CLASSIFICATION
                    ? " (--classes 0 builds the bare backbone)" : ", no " + task.name().toLowerCase() + " head");
        }
        if (trained.get().task() != task) {
            String other = trained.get().task().name().toLowerCase();
            return "it looks like a " + other + " checkpoint (--task " + other + ")";
        }
        if (trained.get() != head) {
            return "it looks like a " + trained.get().displayName() + " checkpoint (--head " + trained.get().id() + ")";
        }
        OptionalInt found = classes(stateDict, head);
        if (found.isPresent() && found.getAsInt() != classes) {
            return "its head has " + found.getAsInt() + " classes, not " + classes + " (--classes "
                    + found.getAsInt() + ")";
        }
        return null;
    }
}
