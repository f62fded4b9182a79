/**
 * Serves the web console (the {@code console} module's static files and the WebJars they load) at {@code /}:
 * every {@code GET} outside the API prefixes is the console's, answered with {@code index.html} when it is not an
 * asset, so deep links such as {@code /chat/conv_123} work. The console holds no data and needs no credential to
 * load; its scripts call the API with the signed-in person's own credential, like any other frontend.
 */
package dev.chatplatform.gateway.console;
