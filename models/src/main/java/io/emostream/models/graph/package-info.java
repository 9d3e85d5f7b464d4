/**
 * A small writer of ONNX graphs over the ONNX protobuf classes. Depends on nothing else of emostream.
 */
package io.emostream.models.graph;
