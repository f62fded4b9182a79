package dev.chatplatform.usage.quota;

import dev.chatplatform.usage.UsageProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Budget leases (issue 14): instead of one hold (an HTTP call and a locked ledger row) per model request,
 * chat-service leases a block of an account's budget and draws each request's worst case from it in memory.
 * <p>
 * The ledger keeps what is leased in its {@code *_held} counters and, apart, in the account's lease pool
 * ({@code lease_*_held}), which is the sum of each lease's pooled part ({@code leases.pooled_*}). A lease's pooled
 * part = what was leased - what its holder gave back - the usage of the events that name it
 * ({@link QuotaService#settle}). A holder gives a lease back with what its requests consumed (it knows: it drained
 * them first), and exactly those requests' events name the lease, so what is released is exactly the part nobody
 * used, in whatever order the events come. An event that names no lease (a hold of its own, no reservation at all,
 * billed from provider-service's record) takes nothing from any lease: a request served without a reservation never
 * uses up what others reserved. Whatever of a lease is still pooled twice the hold ttl after it ended (its holder
 * crashed, or some of its requests' events came without its id) is released by the sweep: that only ever reserved
 * too much, for a bounded time.
 */
@Service
public class BudgetLeases {

    private static final int QUIET_BATCH = 500;

    private final QuotaAccountRepository accounts;
    private final LedgerRepository ledger;
    private final LeaseRepository leases;
    private final ChangedAccounts changed;
    private final UsageProperties properties;
    private final Clock clock = Clock.systemUTC();

    BudgetLeases(QuotaAccountRepository accounts, LedgerRepository ledger, LeaseRepository leases,
                 ChangedAccounts changed, UsageProperties properties) {
        this.accounts = accounts;
        this.ledger = ledger;
        this.leases = leases;
        this.changed = changed;
        this.properties = properties;
    }

    /**
     * Leases {@code usage.leases.fraction} of what is left of the account's limits to {@code holder}, until
     * {@code usage.leases.ttl} from now (at most to the end of the account's day); empty when the account is near
     * a limit (a part would be below its minimum): its requests then take exact holds.
     */
    @Transactional
    public Optional<Lease> grant(String accountId, String holder) {
        accounts.ensure(accountId, properties.defaultTier());
        QuotaAccount account = accounts.find(accountId).orElseThrow();
        Instant now = clock.instant();
        Periods p = account.periodsAt(now);
        ledger.ensureRow(accountId, p);
        UsageProperties.Leases config = properties.leases();
        Optional<LedgerRepository.Leased> leased = ledger.lease(accountId, p, config.fraction(), config.minMessages(),
                config.minTokens(), config.minCostMicroUsd());
        if (leased.isEmpty()) {
            return Optional.empty();
        }
        LedgerRepository.Leased l = leased.get();
        String id = "lease_" + UUID.randomUUID().toString().replace("-", "");
        Instant expiresAt = min(now.plus(config.ttl()), p.dayEnd());
        leases.insert(id, accountId, holder, p, l, expiresAt);
        changed.mark(accountId);
        return Optional.of(new Lease(id, accountId, holder, p.monthStart(), p.dayStart(), l.messages(), l.tokens(),
                l.costMicroUsd(), "open", expiresAt, l.tier(), List.copyOf(l.allowedModels()), l.limits()));
    }

    @Transactional(readOnly = true)
    public Optional<Lease> find(String accountId, String leaseId) {
        return leases.find(accountId, leaseId);
    }

    /**
     * Takes a lease back from its holder, which says what the requests it drew from it consumed (all of them
     * ended: it stopped drawing and waited for them). What was leased and not consumed goes back to the account.
     *
     * @return false when the account has no lease with this id (a lease returned already is true: nothing changes)
     */
    @Transactional
    public boolean giveBack(String accountId, String leaseId, long messages, long tokens, long costMicroUsd) {
        Optional<LeaseRepository.Share> unused = leases.markReturned(accountId, leaseId, messages, tokens, costMicroUsd);
        if (unused.isEmpty()) {
            return leases.find(accountId, leaseId).isPresent();
        }
        ledger.releaseLeased(unused.get());
        changed.mark(accountId);
        return true;
    }

    /**
     * Marks leases their holders did not give back in time as expired, and releases what is still pooled of leases
     * that ended more than twice {@code usage.holds.ttl} ago: every request made under them ended within one ttl of
     * its lease's end (a request may not outlive the hold ttl) and was then metered, from its usage event or, at the
     * latest one ttl later, from provider-service's record. Leases ended twice as long ago are forgotten.
     */
    @Transactional
    public int sweep() {
        int expired = leases.expireDue(properties.leases().grace());
        Duration quietFor = properties.holds().ttl().multipliedBy(2);
        List<LeaseRepository.Share> ended = new ArrayList<>(leases.releaseEnded(quietFor, QUIET_BATCH));
        ended.sort(Comparator.comparing(LeaseRepository.Share::accountId)); // ledger rows locked in account order
        for (LeaseRepository.Share share : ended) {
            ledger.releaseLeased(share);
            changed.mark(share.accountId());
        }
        leases.purge(quietFor.multipliedBy(2));
        return expired + ended.size();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
