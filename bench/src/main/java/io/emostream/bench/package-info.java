/**
 * The {@code bench} scenarios (bare session, runtime, whole pipeline), measured in rounds and reported as tables
 * and JSON. Depends on {@code topology} and {@code ingest}; a local broker comes in through
 * {@link io.emostream.bench.Bench.LocalBroker}, so the broker jars stay out of this module.
 */
package io.emostream.bench;
