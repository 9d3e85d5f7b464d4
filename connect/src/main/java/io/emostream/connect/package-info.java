/**
 * The Kafka Connect plugin: {@link io.emostream.connect.AvroConverter}, a converter for emostream's Avro records,
 * so that Connect sinks (databases, object stores, search indexes) read the result topics and sources write them.
 * Built as a plugin directory and zip without Kafka's own jars ({@code connect/target/}); depends on the schemas.
 */
package io.emostream.connect;
