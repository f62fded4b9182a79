package dev.chatplatform.kit.web;

import dev.chatplatform.kit.identity.Scope;
import org.junit.jupiter.api.Test;
import org.springframework.web.method.HandlerMethod;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointAccessTest {

    @RequiresScope(Scope.ANALYST)
    static class Reports {

        void list() {
        }

        @RequiresScope(Scope.ADMIN)
        void change() {
        }

        @PublicEndpoint("a health page")
        void page() {
        }
    }

    static class Undeclared {

        void nothing() {
        }

        @Authenticated
        void signUp() {
        }

        @Authenticated
        @RequiresScope(Scope.CHAT)
        void both() {
        }

        @RequiresScope({Scope.ACCOUNT, Scope.CHAT})
        void either() {
        }
    }

    @Test
    void aMethodsDeclarationWinsOverItsClassAndTheClassCoversTheRest() {
        assertThat(access(new Reports(), "list")).contains(new EndpointAccess.AnyOf(Set.of(Scope.ANALYST)));
        assertThat(access(new Reports(), "change")).contains(new EndpointAccess.AnyOf(Set.of(Scope.ADMIN)));
        assertThat(access(new Reports(), "page")).contains(new EndpointAccess.Public("a health page"));
    }

    @Test
    void aHandlerWithoutADeclarationHasNone() {
        assertThat(access(new Undeclared(), "nothing")).isEmpty();
        assertThat(access(new Undeclared(), "signUp")).contains(new EndpointAccess.AnyIdentity());
    }

    @Test
    void declaringTwiceIsRefused() {
        assertThatThrownBy(() -> access(new Undeclared(), "both"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("more than once");
    }

    @Test
    void theReadmeTablesDescribeAccessInTheScopesWireNamesInTheirOrder() {
        assertThat(access(new Undeclared(), "either").orElseThrow().describe()).isEqualTo("chat or account");
        assertThat(new EndpointAccess.AnyIdentity().describe()).isEqualTo("any identity");
        assertThat(new EndpointAccess.Public("why").describe()).isEqualTo("public");
    }

    private static Optional<EndpointAccess> access(Object bean, String method) {
        try {
            return EndpointAccess.of(new HandlerMethod(bean, bean.getClass().getDeclaredMethod(method)));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }
}
