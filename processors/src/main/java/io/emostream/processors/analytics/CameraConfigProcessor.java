package io.emostream.processors.analytics;

import io.emostream.processors.DeadLetters;
import io.emostream.processors.FailureStage;
import io.emostream.schemas.CameraConfig;
import io.emostream.schemas.serde.AvroSerdes;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Checks the records operators write to the camera configuration topic, as bytes so that a record that is not a
 * {@link CameraConfig} still reaches the dead-letter topic with its original bytes. Forwards, keyed by camera id,
 * each valid configuration, each tombstone (null: the camera's record is removed), and a {@code DeadLetter}
 * (stage {@code camera-config}) for anything else: not Avro, no key, a key that is not its camera id, or invalid
 * zones or lines ({@link CameraGeometry#of}). Only the valid ones reach the table the analytics read, so a
 * rejected record leaves the camera's previous configuration in place.
 */
public final class CameraConfigProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
    private static final Logger log = LoggerFactory.getLogger(CameraConfigProcessor.class);

    private final DeadLetters deadLetters;
    private final Deserializer<CameraConfig> configs = AvroSerdes.cameraConfig().deserializer();
    private ProcessorContext<String, SpecificRecord> context;

    public CameraConfigProcessor(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String camera = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        CameraConfig config;
        try {
            config = read(camera, record.value());
        } catch (SerializationException | InvalidCameraConfigException e) {
            log.warn("camera configuration record rejected and dead-lettered; the camera keeps its previous one: {}",
                    e.getMessage());
            context.forward(new Record<>(camera, deadLetters.of(context.recordMetadata(), record,
                    FailureStage.CAMERA_CONFIG, e, context.currentSystemTimeMs()), record.timestamp()));
            return;
        }
        if (config == null) {
            log.info("camera {}: configuration record removed", camera);
        } else {
            log.info("camera {}: configuration accepted ({} zones, {} lines)", camera, config.getZones().size(),
                    config.getLines().size());
        }
        context.forward(new Record<>(camera, config, record.timestamp()));
    }

    /** The checked configuration, or null for a tombstone. */
    private CameraConfig read(String camera, byte[] value) {
        if (camera == null || camera.isBlank()) {
            throw new InvalidCameraConfigException("the record has no key: key each camera configuration by the id"
                    + " of the camera it configures");
        }
        if (value == null) return null;
        CameraConfig config = configs.deserialize(context.recordMetadata().map(RecordMetadata::topic).orElse(null),
                value);
        if (!camera.equals(config.getCameraId())) {
            throw new InvalidCameraConfigException("the record's key '" + camera + "' is not its cameraId '"
                    + config.getCameraId() + "': key each camera configuration by the id of the camera it configures");
        }
        CameraGeometry.of(config);
        return config;
    }
}
