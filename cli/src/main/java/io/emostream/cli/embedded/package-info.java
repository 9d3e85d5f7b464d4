/**
 * A real single-node KRaft broker started in-process, for the demo, the bench and the end-to-end tests. The only
 * package that uses the broker jars ({@code kafka_2.13}, {@code kafka-server}), which the production image leaves
 * out; it serves the bench through {@link io.emostream.bench.Bench.LocalBroker}.
 */
package io.emostream.cli.embedded;
