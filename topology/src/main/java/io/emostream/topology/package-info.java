/**
 * The plugin's entry point: {@link io.emostream.topology.EmoStreams} adds the processors to a Kafka Streams
 * topology, configured by {@link io.emostream.topology.EmoStreamConfig}. What an embedding application depends on.
 * Depends on {@code processors} and below; never on the command line or the broker.
 */
package io.emostream.topology;
