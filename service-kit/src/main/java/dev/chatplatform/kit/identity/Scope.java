package dev.chatplatform.kit.identity;

/**
 * What an identity may do, as API keys carry it ({@code api-key.changed.v1} {@code scopes}) and the gateway asserts
 * it. Four coarse scopes, one per kind of caller, rather than one per endpoint (compare OpenAI's per-endpoint
 * permissions or Portkey's {@code resource.action} scopes): a frontend asks "may this key chat, manage its
 * account, read the operator views, or change them?", and a key holds exactly what that answer needs.
 * {@link #ADMIN} implies every other scope.
 */
public enum Scope {

    /** Run models and keep conversations: chat completions, conversations, the model list, flag evaluation. */
    CHAT(CallerIdentity.CHAT),
    /** Self-service on the caller's own account: profile, deletion, API keys, subscription, invoices. */
    ACCOUNT(CallerIdentity.ACCOUNT),
    /** Read-only operator views of every account: analytics, flags and their audit, tiers, catalog, accounts. */
    ANALYST(CallerIdentity.ANALYST),
    /** Everything, including changing other accounts, tiers, prices and flags. */
    ADMIN(CallerIdentity.ADMIN);

    private final String wire;

    Scope(String wire) {
        this.wire = wire;
    }

    /** The name on the wire: in keys, identity tokens and error messages. */
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
