/**
 * What the demo needs beyond the commands: accounting for every input frame from the result topics. Depends on
 * {@code schemas}, {@code processors}, {@code topology} and kafka-clients.
 */
package io.emostream.cli.demo;
