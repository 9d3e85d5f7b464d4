package io.emostream.processors;

import io.emostream.models.image.InvalidImageException;
import io.emostream.models.runtime.InferenceException;
import io.emostream.schemas.DeadLetter;
import io.emostream.schemas.DeadLetterReason;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Builds the dead-letter record of an input record: where it came from, its original bytes, and why it failed, as
 * a message for people and as a {@link DeadLetterReason} code for machines.
 */
public final class DeadLetters {
    private final int maxValueBytes;

    public DeadLetters(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    public DeadLetter of(Optional<RecordMetadata> source, Record<byte[], byte[]> record, FailureStage stage, Throwable error,
                  long now) {
        Throwable cause = unwrap(error);
        byte[] value = record.value();
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        boolean omitValue = value != null && value.length > maxValueBytes;
        if (omitValue) {
            message += " (original value of " + value.length + " bytes left out: over the dead-letter limit of "
                    + maxValueBytes + " bytes)";
        }
        return DeadLetter.newBuilder()
                .setTopic(source.map(RecordMetadata::topic).orElse("unknown"))
                .setPartition(source.map(RecordMetadata::partition).orElse(-1))
                .setOffset(source.map(RecordMetadata::offset).orElse(-1L))
                .setKey(record.key() == null ? null : ByteBuffer.wrap(record.key()))
                .setValue(value == null || omitValue ? null : ByteBuffer.wrap(value))
                .setReason(reason(stage, cause))
                .setErrorClass(cause.getClass().getSimpleName())
                .setErrorMessage(message)
                .setStage(stage.id())
                .setTimestamp(Instant.ofEpochMilli(now))
                .build();
    }

    /** The one mapping from the models' failure reasons to the dead letter's code. */
    private static DeadLetterReason reason(FailureStage stage, Throwable cause) {
        switch (stage) {
            case DESERIALIZE: return DeadLetterReason.NOT_A_FRAME;
            case CAMERA_CONFIG: return DeadLetterReason.INVALID_CAMERA_CONFIG;
            case ZONES, OCCUPANCY: return DeadLetterReason.UNUSABLE_RESULT;
            default: break;
        }
        if (cause instanceof InvalidImageException e) {
            return switch (e.reason()) {
                case CORRUPT -> DeadLetterReason.CORRUPT_IMAGE;
                case ENCODING_MISMATCH -> DeadLetterReason.ENCODING_MISMATCH;
                case OVERSIZE -> DeadLetterReason.OVERSIZE_IMAGE;
                case SIZE_MISMATCH -> DeadLetterReason.SIZE_MISMATCH;
            };
        }
        if (cause instanceof InferenceException e) {
            return switch (e.reason()) {
                case TIMEOUT -> DeadLetterReason.MODEL_TIMEOUT;
                case NON_FINITE_OUTPUT -> DeadLetterReason.NON_FINITE_OUTPUT;
                case OUTPUT_MISMATCH -> DeadLetterReason.OUTPUT_MISMATCH;
                case MODEL_ERROR -> DeadLetterReason.MODEL_ERROR;
                case CLOSED -> DeadLetterReason.MODEL_CLOSED;
            };
        }
        return DeadLetterReason.UNKNOWN; // a failure nobody classified: errorClass and errorMessage tell more
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
