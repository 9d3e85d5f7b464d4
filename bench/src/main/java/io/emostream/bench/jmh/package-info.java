/**
 * JMH micro-benchmarks of the hot paths of {@code models}, without Kafka (bench/README.md). Depends on
 * {@code models} and JMH.
 */
package io.emostream.bench.jmh;
