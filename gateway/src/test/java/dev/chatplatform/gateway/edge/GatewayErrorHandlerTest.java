package dev.chatplatform.gateway.edge;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayErrorHandlerTest {

    private final GatewayErrorHandler handler =
            new GatewayErrorHandler(new ErrorResponses(JsonMapper.builder().build()), 1024);

    @Test
    void aServiceThatResetsTheConnectionWhileProxyingIsA502NotA500() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/v1/chat/completions"));
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, Route.async().id("chat")
                .uri(URI.create("http://localhost:8081")).predicate(e -> true).build());

        handler.handle(exchange, new RuntimeException(new IOException("recvAddress(..) failed: Connection reset by peer")))
                .block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
        assertThat(exchange.getResponse().getBodyAsString().block())
                .contains("\"code\":\"service_unavailable\"").contains("closed the connection");
    }

    @Test
    void anIoFailureOutsideAnyRouteStaysA500() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/nowhere"));

        handler.handle(exchange, new IOException("disk")).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }
}
