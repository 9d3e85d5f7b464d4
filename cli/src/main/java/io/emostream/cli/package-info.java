/**
 * The {@code emostream} command line (picocli): {@code demo}, {@code run}, {@code ingest}, {@code models} and
 * {@code bench}. May depend on every module; nothing depends on it.
 */
package io.emostream.cli;
