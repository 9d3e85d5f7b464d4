/**
 * What the demo needs beyond the commands: its cameras' zones and lines, accounting for every input frame and its
 * analytics from the result topics, and the analytics report. Depends on {@code schemas}, {@code processors},
 * {@code topology} and kafka-clients.
 */
package io.emostream.cli.demo;
