/**
 * JMH micro-benchmarks of the hot paths of {@code models} and {@code processors} (the tracker), without Kafka
 * (bench/README.md). Depends on {@code models}, {@code processors}, {@code schemas} and JMH.
 */
package io.emostream.bench.jmh;
