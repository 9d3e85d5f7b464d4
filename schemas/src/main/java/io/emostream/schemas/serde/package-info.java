/**
 * Kafka Serdes for the Avro records: single-object encoding by default, the schema-registry wire format when a
 * registry is configured, schema history for evolution, and bounded decoding of untrusted bytes. Depends on the
 * records, Avro, kafka-clients and Jackson (the registry's JSON).
 */
package io.emostream.schemas.serde;
