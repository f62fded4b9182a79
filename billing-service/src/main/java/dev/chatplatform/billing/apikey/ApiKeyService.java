package dev.chatplatform.billing.apikey;

import dev.chatplatform.billing.account.AccountClosed;
import dev.chatplatform.billing.account.AccountId;
import dev.chatplatform.billing.account.AccountService;
import dev.chatplatform.contracts.billing.ApiKeyChanged;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.kit.identity.CallerIdentity;
import dev.chatplatform.kit.web.ApiException;
import org.springframework.context.event.EventListener;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

@Service
public class ApiKeyService {

    private final ApiKeyRepository keys;
    private final AccountService accounts;
    private final Outbox outbox;
    private final Clock clock;
    private final AuditLog audit;
    private final SecureRandom random = new SecureRandom();

    ApiKeyService(ApiKeyRepository keys, AccountService accounts, Outbox outbox, Clock clock, AuditLog audit) {
        this.keys = keys;
        this.accounts = accounts;
        this.outbox = outbox;
        this.clock = clock;
        this.audit = audit;
    }

    /** A key just created, with the secret that exists only in this object and the response that shows it. */
    public record IssuedKey(ApiKey key, String secret) {

        @Override
        public String toString() {
            return "IssuedKey[" + key.id() + "]";
        }
    }

    /**
     * Creates a key on any account (admin: audited as {@code account.key-issued}, the key without its secret).
     *
     * @param admin the admin issuing it, or null when the account issues its own ({@link #issueForCaller})
     */
    @Transactional
    public IssuedKey issue(String accountId, CreateApiKeyRequest request, AuditLog.Actor admin) {
        AccountId account = accounts.require(accountId).id();
        ApiKeySecret secret = ApiKeySecret.generate(random);
        ApiKey key = ApiKey.issue(ApiKeyId.generate(random), account, secret, request.name(),
                request.scopesOrDefault(), now());
        keys.insert(key);
        publish(key);
        if (admin != null) {
            audit.record(admin, "account.key-issued", "account", account.toString(), null, ApiKeyResponse.of(key), null);
        }
        return new IssuedKey(key, secret.secret());
    }

    /** Creates a key on the caller's own account, with no scope the caller does not hold itself. */
    @Transactional
    public IssuedKey issueForCaller(CallerIdentity caller, CreateApiKeyRequest request) {
        for (String scope : request.scopesOrDefault()) {
            if (!caller.hasScope(scope)) {
                throw ApiException.forbidden("insufficient_scope",
                        "A key cannot grant the '" + scope + "' scope, which its creator does not hold.");
            }
        }
        return issue(caller.accountId(), request, null);
    }

    /** The caller's keys, active and revoked; an identity that names no account here has none. */
    @Transactional(readOnly = true)
    public List<ApiKey> list(CallerIdentity caller) {
        return AccountId.parse(caller.accountId()).map(keys::findByAccount).orElse(List.of());
    }

    /** Every key of an account, active and revoked; 404 when there is no such account. */
    @Transactional(readOnly = true)
    public List<ApiKey> listOf(String accountId) {
        return keys.findByAccount(accounts.require(accountId).id());
    }

    /**
     * Revokes one of the caller's keys. Revoking a revoked key changes nothing and publishes nothing; a key
     * of another account is answered exactly like a key that does not exist.
     */
    @Transactional
    public void revoke(CallerIdentity caller, String keyId) {
        ApiKey key = ApiKeyId.parse(keyId).flatMap(keys::findForUpdate)
                .filter(k -> AccountId.parse(caller.accountId()).map(k::belongsTo).orElse(false))
                .orElseThrow(() -> ApiException.notFound("api_key_not_found", "No API key with id '" + keyId + "'."));
        key.revoke(now()).ifPresent(revoked -> {
            if (!keys.update(revoked)) {
                throw new OptimisticLockingFailureException("API key " + keyId + " changed concurrently");
            }
            publish(revoked);
        });
    }

    /** A deleted account's keys stop working: each active one is revoked in the deleting transaction. */
    @EventListener
    void onAccountClosed(AccountClosed closed) {
        for (ApiKey key : keys.findByAccount(closed.accountId())) {
            keys.findForUpdate(key.id()).flatMap(k -> k.revoke(now())).ifPresent(revoked -> {
                if (!keys.update(revoked)) {
                    throw new OptimisticLockingFailureException("API key " + key.id() + " changed concurrently");
                }
                publish(revoked);
            });
        }
    }

    private void publish(ApiKey key) {
        ApiKeyChanged event = key.toEvent();
        outbox.publish(ApiKeyChanged.TYPE, key.eventCause(), key.id().value(), key.accountId().toString(), event);
    }

    /** PostgreSQL stores microseconds; truncating keeps the published time equal to the stored one. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
