/**
 * The HTTP query API: the process's one HTTP server ({@link io.emostream.topology.http.HttpApiServer}, the JDK's
 * {@code com.sun.net.httpserver} on threads of its own) and the camera endpoints
 * ({@link io.emostream.topology.http.CameraQueryApi}), answered from Kafka Streams' state stores and routed to the
 * instance that owns a camera. Depends on {@code io.emostream.topology.analytics} (the store names),
 * {@code processors}, kafka-streams and Jackson.
 */
package io.emostream.topology.http;
