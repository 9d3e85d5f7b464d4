package io.emostream.topology.http;

/** A JSON answer and the instance ({@code host:port}) that read it from its stores. */
record ApiResponse(int status, byte[] body, String instance) { }
