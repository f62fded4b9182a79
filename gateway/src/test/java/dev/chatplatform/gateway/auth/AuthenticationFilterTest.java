package dev.chatplatform.gateway.auth;

import dev.chatplatform.gateway.account.AccountView;
import dev.chatplatform.gateway.apikey.ApiKeyView;
import dev.chatplatform.gateway.edge.ErrorResponses;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationFilterTest {

    private static final String JWT = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJ1MSJ9.c2ln";

    @Test
    void withoutAnIssuerAJwtIsJustAnUnknownApiKey() {
        AuthenticationFilter filter = new AuthenticationFilter(new ApiKeyAuthenticator(new ApiKeyView(), ""), new AccountView(), null,
                new ErrorResponses(JsonMapper.builder().build()), List.of("/actuator/**"), request -> false);
        MockServerWebExchange exchange = MockServerWebExchange.from(
                MockServerHttpRequest.get("/v1/models").header(HttpHeaders.AUTHORIZATION, "Bearer " + JWT));

        filter.filter(exchange, e -> Mono.error(new AssertionError("must not be forwarded"))).block();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getBodyAsString().block()).contains("\"code\":\"invalid_api_key\"");
    }
}
