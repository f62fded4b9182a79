package dev.chatplatform.billing.account;

import dev.chatplatform.contracts.billing.AccountChanged;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.kit.web.ApiException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

@Service
public class AccountService {

    private final AccountRepository accounts;
    private final Outbox outbox;
    private final Clock clock;

    AccountService(AccountRepository accounts, Outbox outbox, Clock clock) {
        this.accounts = accounts;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** The outcome of {@link #create}: the account, and whether this call created it. */
    public record Creation(Account account, boolean created) {
    }

    /**
     * Creates the account, or returns the existing one with the same e-mail unchanged (idempotent, also
     * under concurrent calls). Only a creation publishes an event.
     */
    @Transactional
    public Creation create(CreateAccountRequest request) {
        Tier tier = request.tier() == null ? Tier.FREE : Tier.fromWire(request.tier())
                .orElseThrow(() -> ApiException.invalid("invalid_value", "Invalid value for 'tier'.", "tier"));
        // PostgreSQL stores microseconds; truncating keeps the published time equal to the stored one
        Account candidate = Account.open(request.email(), request.name(), tier,
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        if (accounts.insertIfEmailIsNew(candidate)) {
            publish(candidate);
            return new Creation(candidate, true);
        }
        // read committed: this statement sees the row whose concurrent insert made ours do nothing
        Account existing = accounts.findByEmail(candidate.email()).orElseThrow(
                () -> new IllegalStateException("account with e-mail vanished after a conflicting insert"));
        return new Creation(existing, false);
    }

    /** The caller's own account; an identity that names no account here gets 404. */
    @Transactional(readOnly = true)
    public Account require(String accountId) {
        return AccountId.parse(accountId).flatMap(accounts::findById)
                .orElseThrow(() -> ApiException.notFound("account_not_found", "No account with id '" + accountId + "'."));
    }

    private void publish(Account account) {
        outbox.publish(AccountChanged.TYPE, account.eventCause(), account.id().toString(), account.id().toString(),
                account.toEvent());
    }
}
