package dev.chatplatform.billing.account;

import java.util.List;

/**
 * The caller as the gateway asserted it.
 *
 * @param accountId the account (or {@code platform-admin} for the bootstrap admin key, which is no account)
 * @param keyId     the API key used, or null for an OIDC sign-in
 * @param scopes    the credential's scopes, sorted
 */
public record IdentityResponse(String accountId, String keyId, List<String> scopes) {
}
