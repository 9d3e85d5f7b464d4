package io.emostream.cli.demo;

import io.emostream.processors.FailureStage;
import io.emostream.topology.Topics;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.FrameDetections;
import io.emostream.schemas.FrameSegmentation;
import io.emostream.schemas.VideoFrame;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the input and result topics from the start (read_committed) and accounts for every input frame: it is
 * answered when a detection or segmentation record names its camera and sequence, or a dead letter names its
 * partition and offset; the rest are lost. It is complete when every enabled model has answered it, with a result
 * or a dead letter.
 */
public final class ResultTally implements AutoCloseable {
    /** Per camera: frames in, and the records produced for them. */
    public static final class CameraCounts {
        public long frames;
        public long detections;
        public long segmentations;
        public long deadLetters;
    }

    private record FrameKey(String camera, long sequence) { }

    private record Offset(int partition, long offset) { }

    private final Topics topics;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<VideoFrame> frames = AvroSerdes.videoFrame().deserializer();
    private final Deserializer<FrameDetections> detections = AvroSerdes.frameDetections().deserializer();
    private final Deserializer<FrameSegmentation> segmentations = AvroSerdes.frameSegmentation().deserializer();
    private final Deserializer<DeadLetter> deadLetters = AvroSerdes.deadLetter().deserializer();

    private final Map<Offset, FrameKey> inputs = new HashMap<>();
    private final Set<Offset> undecodableInputs = new HashSet<>();
    private static final int DETECTED = 1;
    private static final int SEGMENTED = 2;

    private final int expected;
    private final Map<FrameKey, Integer> answered = new HashMap<>();
    private final Map<Offset, Integer> deadLettered = new HashMap<>();
    private final Map<String, CameraCounts> cameras = new TreeMap<>();
    private final List<FrameDetections> examples = new ArrayList<>();
    private final List<FrameSegmentation> segmentationExamples = new ArrayList<>();
    private long detectionCount;
    private long segmentationCount;
    private long deadLetterCount;
    private long lastInferenceMs;

    public ResultTally(String bootstrapServers, Topics topics, boolean detection, boolean segmentation) {
        this.topics = topics;
        this.expected = (detection ? DETECTED : 0) | (segmentation ? SEGMENTED : 0);
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.frames(), topics.detections(), topics.segmentations(),
                topics.deadLetters())) {
            consumer.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what has arrived; returns the number of records read. */
    public int poll(Duration wait) {
        int n = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(wait)) {
            n++;
            String topic = r.topic();
            if (topic.equals(topics.frames())) {
                input(r);
            } else if (topic.equals(topics.detections())) {
                FrameDetections d = detections.deserialize(topic, r.value());
                detectionCount++;
                answered.merge(new FrameKey(d.getCameraId(), d.getSequence()), DETECTED, (a, b) -> a | b);
                camera(d.getCameraId()).detections++;
                lastInferenceMs = Math.max(lastInferenceMs, d.getInferenceTimestamp().toEpochMilli());
                if (examples.size() < 3 && !d.getDetections().isEmpty()) examples.add(d);
            } else if (topic.equals(topics.segmentations())) {
                FrameSegmentation s = segmentations.deserialize(topic, r.value());
                segmentationCount++;
                answered.merge(new FrameKey(s.getCameraId(), s.getSequence()), SEGMENTED, (a, b) -> a | b);
                camera(s.getCameraId()).segmentations++;
                lastInferenceMs = Math.max(lastInferenceMs, s.getInferenceTimestamp().toEpochMilli());
                if (segmentationExamples.isEmpty()) segmentationExamples.add(s);
            } else {
                DeadLetter l = deadLetters.deserialize(topic, r.value());
                deadLetterCount++;
                int covers = FailureStage.DETECT.id().equals(l.getStage()) ? DETECTED
                        : FailureStage.SEGMENT.id().equals(l.getStage()) ? SEGMENTED : DETECTED | SEGMENTED;
                deadLettered.merge(new Offset(l.getPartition(), l.getOffset()), covers, (a, b) -> a | b);
                FrameKey frame = inputs.get(new Offset(l.getPartition(), l.getOffset()));
                camera(frame == null ? "(unknown)" : frame.camera()).deadLetters++;
            }
        }
        return n;
    }

    private void input(ConsumerRecord<byte[], byte[]> r) {
        Offset at = new Offset(r.partition(), r.offset());
        try {
            VideoFrame f = frames.deserialize(r.topic(), r.value());
            inputs.put(at, new FrameKey(f.getCameraId(), f.getSequence()));
            camera(f.getCameraId()).frames++;
        } catch (RuntimeException e) {
            undecodableInputs.add(at);
        }
    }

    private CameraCounts camera(String id) {
        return cameras.computeIfAbsent(id, k -> new CameraCounts());
    }

    public long frames() {
        return inputs.size() + undecodableInputs.size();
    }

    public long detections() {
        return detectionCount;
    }

    public long segmentations() {
        return segmentationCount;
    }

    public long deadLetters() {
        return deadLetterCount;
    }

    /** Input frames with neither a result nor a dead letter (so far). */
    public long lost() {
        return inputs.keySet().stream().filter(o -> outcomes(o) == 0).count()
                + undecodableInputs.stream().filter(o -> !deadLettered.containsKey(o)).count();
    }

    /** Whether every input frame read so far has an answer from every enabled model. */
    public boolean complete() {
        return inputs.keySet().stream().allMatch(o -> (outcomes(o) & expected) == expected)
                && undecodableInputs.stream().allMatch(deadLettered::containsKey);
    }

    private int outcomes(Offset input) {
        return answered.getOrDefault(inputs.get(input), 0) | deadLettered.getOrDefault(input, 0);
    }

    public Map<String, CameraCounts> cameras() {
        return cameras;
    }

    public List<FrameDetections> detectionExamples() {
        return examples;
    }

    public List<FrameSegmentation> segmentationExamples() {
        return segmentationExamples;
    }

    /** Wall-clock time of the latest result, epoch milliseconds. */
    public long lastInferenceMs() {
        return lastInferenceMs;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
