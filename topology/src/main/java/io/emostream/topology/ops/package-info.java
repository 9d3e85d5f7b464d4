/**
 * Running the application in operation: the process's Prometheus meter registry with JVM, process-memory, Kafka
 * Streams and model meters ({@link io.emostream.topology.ops.Telemetry}), the {@code /metrics} page, and the health
 * of a Kafka Streams instance for {@code /health/live} and {@code /health/ready}.
 */
package io.emostream.topology.ops;
