/**
 * Kafka Streams {@code Processor} implementations, the per-record logic: frame inference, result records and dead
 * letters. Depends on {@code schemas}, {@code models} and kafka-streams; topologies are assembled in
 * {@code io.emostream.topology}.
 */
package io.emostream.processors;
