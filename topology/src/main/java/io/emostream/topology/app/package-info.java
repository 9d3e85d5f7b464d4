/**
 * The {@code run} application: configuration loading, its topology in one Kafka Streams instance, and topic
 * provisioning. Depends on {@code io.emostream.topology} and below.
 */
package io.emostream.topology.app;
