/**
 * Kafka Streams {@code Processor} implementations, the per-record logic: frame inference, result records and dead
 * letters; the camera analytics' processors are in {@code tracking}, {@code analytics} and {@code stats}. Depends on
 * {@code schemas}, {@code models} and kafka-streams; topologies are assembled in {@code io.emostream.topology}.
 */
package io.emostream.processors;
