package dev.chatplatform.gateway.auth;

import dev.chatplatform.kit.identity.IdentityTokens;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.route.RouteDefinition;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentityAssertionFilterTest {

    @Test
    void aRouteThatDoesNotNameItsAudienceStopsTheGatewayFromStarting() {
        IdentityTokens tokens = new IdentityTokens("0123456789abcdef0123456789abcdef", Duration.ofSeconds(30),
                Clock.systemUTC(), "gateway");
        RouteDefinition named = new RouteDefinition();
        named.setId("usage");
        named.setMetadata(Map.of(IdentityAssertionFilter.AUDIENCE, "usage-service"));
        RouteDefinition unnamed = new RouteDefinition();
        unnamed.setId("new-route");

        assertThatThrownBy(() -> new IdentityAssertionFilter(tokens, List.of(named, unnamed)))
                .hasMessageContaining("'new-route'").hasMessageContaining("metadata.audience");
    }
}
