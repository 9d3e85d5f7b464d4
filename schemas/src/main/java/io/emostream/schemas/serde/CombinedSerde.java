package io.emostream.schemas.serde;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/**
 * A Serde that is its own Serializer and Deserializer, so that one class name serves as a serde, a serializer and a
 * deserializer setting. Nothing to configure and nothing to close unless an implementation says otherwise.
 */
public interface CombinedSerde<T> extends Serde<T>, Serializer<T>, Deserializer<T> {
    @Override
    default void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    default Serializer<T> serializer() {
        return this;
    }

    @Override
    default Deserializer<T> deserializer() {
        return this;
    }

    @Override
    default void close() {
    }
}
