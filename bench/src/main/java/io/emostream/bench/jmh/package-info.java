/**
 * JMH micro-benchmarks of the hot paths of {@code models} and {@code processors}, without Kafka (bench/README.md).
 * Depends on the modules it measures and JMH.
 */
package io.emostream.bench.jmh;
