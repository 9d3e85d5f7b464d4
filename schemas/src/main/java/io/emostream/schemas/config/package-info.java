/** Showing configuration safely: secret values hidden wherever settings are logged or printed. */
package io.emostream.schemas.config;
