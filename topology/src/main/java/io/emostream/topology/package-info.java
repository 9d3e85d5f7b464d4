/**
 * The plugin's entry point: {@link io.emostream.topology.EmoStreams} adds the processors to a Kafka Streams
 * topology, configured by {@link io.emostream.topology.EmoStreamConfig}; the camera analytics
 * ({@code io.emostream.topology.analytics}) and the HTTP query API ({@code io.emostream.topology.http}) build on its
 * result streams. What an embedding application depends on. Depends on {@code processors} and below; never on the
 * command line or the broker.
 */
package io.emostream.topology;
