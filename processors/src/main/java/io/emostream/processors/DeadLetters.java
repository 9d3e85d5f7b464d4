package io.emostream.processors;

import io.emostream.schemas.DeadLetter;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Builds the dead-letter record of an input record: where it came from, its original bytes, and why it failed. */
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
                .setErrorClass(cause.getClass().getSimpleName())
                .setErrorMessage(message)
                .setStage(stage.id())
                .setTimestamp(Instant.ofEpochMilli(now))
                .build();
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
