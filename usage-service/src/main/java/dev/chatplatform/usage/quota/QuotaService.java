package dev.chatplatform.usage.quota;

import dev.chatplatform.contracts.usage.QuotaChanged;
import dev.chatplatform.contracts.usage.QuotaThresholdCrossed;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.audit.AuditLog;
import dev.chatplatform.kit.events.Outbox;
import dev.chatplatform.kit.web.ApiException;
import dev.chatplatform.usage.UsageProperties;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The budget ledger and quotas. Every state change publishes the account's full state on quota.v1 through the
 * outbox: a tier, subscription or period change in its own transaction; the frequent ones (hold placed, settled,
 * released, expired) mark the account, and {@link QuotaStatePublisher} publishes its state at most every 250 ms.
 */
@Service
public class QuotaService {

    static final int[] THRESHOLDS = {80, 90, 100};
    private static final int SWEEP_BATCH = 500;

    private final TierRepository tiers;
    private final QuotaAccountRepository accounts;
    private final LedgerRepository ledger;
    private final HoldRepository holds;
    private final LeaseRepository leases;
    private final ThresholdRepository thresholds;
    private final ProviderCallBilling providerCalls;
    private final ChangedAccounts changed;
    private final Outbox outbox;
    private final JdbcClient jdbc;
    private final UsageProperties properties;
    private final AuditLog audit;
    private final Clock clock = Clock.systemUTC();

    QuotaService(TierRepository tiers, QuotaAccountRepository accounts, LedgerRepository ledger, HoldRepository holds,
                 LeaseRepository leases,
                 ThresholdRepository thresholds, ChangedAccounts changed, ProviderCallBilling providerCalls,
                 Outbox outbox, JdbcClient jdbc,
                 UsageProperties properties, AuditLog audit) {
        this.tiers = tiers;
        this.accounts = accounts;
        this.ledger = ledger;
        this.holds = holds;
        this.leases = leases;
        this.thresholds = thresholds;
        this.providerCalls = providerCalls;
        this.changed = changed;
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.properties = properties;
        this.audit = audit;
    }

    /**
     * Reserves the worst case of one model request, with its output clamped to what the limits leave, or refuses
     * it (429) when even {@code min(maxTokens, usage.holds.min-output-tokens)} output tokens do not fit. A second
     * call for the same (account, request id) returns the first hold unchanged.
     */
    @Transactional
    public HoldResult placeHold(PlaceHold c) {
        QuotaAccount account = ensureAccount(c.accountId());
        Periods p = account.periodsAt(clock.instant());
        ledger.ensureRow(c.accountId(), p);
        String id = "hold_" + UUID.randomUUID().toString().replace("-", "");
        if (!holds.claim(id, c, p, properties.holds().ttl())) {
            return new HoldResult(holds.findByRequest(c.accountId(), c.requestId()).orElseThrow(), false, account.tier());
        }
        long maxTokens = c.maxTokens() == null ? properties.holds().defaultMaxTokens() : c.maxTokens();
        long minTokens = properties.holds().minOutputTokens();
        LedgerRepository.Reserved reserved = ledger.reserve(c.accountId(), p, c.model(), c.promptTokens(), maxTokens,
                        minTokens, c.inputPriceMicroUsdPerMillion(), c.outputPriceMicroUsdPerMillion())
                .orElseThrow(() -> refused(account, c, p, maxTokens, minTokens));
        Hold hold = holds.open(id, reserved.granted(), reserved.tokens(), reserved.costMicroUsd());
        changed.mark(c.accountId());
        return new HoldResult(hold, true, reserved.tier());
    }

    @Transactional(readOnly = true)
    public Optional<Hold> findHold(String accountId, String holdId) {
        return holds.find(accountId, holdId);
    }

    /**
     * Releases an open hold of the caller's account (the request ended without usage to bill, or chat-service
     * gave up). Releasing a hold that is already closed changes nothing.
     *
     * @return false when the account has no hold with this id
     */
    @Transactional
    public boolean releaseHold(String accountId, String holdId) {
        Optional<Hold> released = holds.closeById(accountId, holdId, "released");
        if (released.isEmpty()) {
            return holds.find(accountId, holdId).isPresent();
        }
        ledger.closeHold(released.get(), 0, 0, false);
        changed.mark(accountId);
        return true;
    }

    /**
     * Releases a batch of holds past their expiry; returns how many. Safe to run on every replica at once. A hold
     * expires when chat-service neither settled it (with the request's usage event) nor released it: when
     * provider-service recorded a billed call for its request, the request is billed from that record
     * ({@link ProviderCallBilling}).
     */
    @Transactional
    public int expireDueHolds() {
        List<Hold> expired = new ArrayList<>(holds.expireDue(SWEEP_BATCH));
        expired.sort(Comparator.comparing(Hold::accountId)); // ledger rows locked in account order, as settle does
        Set<String> touched = new LinkedHashSet<>();
        for (Hold hold : expired) {
            providerCalls.billExpired(hold);
            ledger.closeHold(hold, 0, 0, false);
            touched.add(hold.accountId());
        }
        touched.forEach(changed::mark);
        return expired.size();
    }

    public int sweepBatchSize() {
        return SWEEP_BATCH;
    }

    /**
     * Settles the usage of requests, in the caller's transaction (the metering of their events, once per event id):
     * each request's open hold is replaced by the real numbers in the hold's periods; usage no open hold covers
     * (none was placed, or it was released or had expired) is added to the periods it occurred in, and when its
     * event names the lease it drew from, taken out of that lease's reservation (in the lease's periods). Thresholds
     * crossed are recorded and published; each account is marked for its next state on quota.v1.
     * <p>
     * The ledger rows are touched last, account by account: a ledger row is locked by its first update until
     * the transaction commits, and holds of that account wait for it, so everything else (accounts, tiers, the
     * holds and leases themselves) is done before.
     */
    @Transactional
    public void settle(List<UsageRecorded> usages) {
        Map<String, QuotaAccount> accounts = new HashMap<>();
        Map<String, Tier> tiersOf = new HashMap<>();
        List<Settling> settling = new ArrayList<>(usages.size());
        for (UsageRecorded u : usages) {
            QuotaAccount account = accounts.computeIfAbsent(u.accountId(), this::ensureAccount);
            tiersOf.computeIfAbsent(account.tier(), this::tier);
            Optional<Hold> hold = holds.settleByRequest(u.accountId(), u.requestId());
            Optional<LeaseRepository.Share> drawn = hold.isEmpty() && u.leaseId() != null
                    ? leases.take(u.accountId(), u.leaseId(), 1, u.totalTokens(), u.costMicroUsd())
                    : Optional.empty();
            settling.add(new Settling(u, hold, drawn));
        }
        settling.sort(Comparator.comparing(s -> s.usage().accountId()));
        for (Settling s : settling) {
            UsageRecorded u = s.usage();
            QuotaAccount account = accounts.get(u.accountId());
            long tokens = u.inputTokens() + u.outputTokens();
            Periods occurred = account.periodsAt(u.occurredAt());
            s.drawn().ifPresent(ledger::releaseLeased);
            LedgerRow row = s.hold()
                    .map(hold -> ledger.closeHold(hold, tokens, u.costMicroUsd(), true))
                    .orElseGet(() -> ledger.addUsage(u.accountId(), occurred, tokens, u.costMicroUsd()));
            checkThresholds(account, tiersOf.get(account.tier()), row);
        }
        accounts.keySet().forEach(changed::mark);
    }

    /**
     * One usage event being settled: by its request's open hold; or, when it names one of the account's leases
     * ({@link BudgetLeases}), by what it {@code drawn} out of that lease's reservation; else as plain usage (no
     * reservation covered it: a hold released or expired, or none at all, e.g. served while usage-service was away).
     */
    private record Settling(UsageRecorded usage, Optional<Hold> hold, Optional<LeaseRepository.Share> drawn) {
    }

    /** Publishes the current state of each account on quota.v1 (for {@link QuotaStatePublisher}). */
    @Transactional
    public void publishStates(List<String> accountIds) {
        accountIds.forEach(this::publishState);
    }

    /** The account's tier and limits in the current periods (an account never seen: the default tier, nothing used). */
    @Transactional(readOnly = true)
    public QuotaSnapshot snapshot(String accountId) {
        QuotaAccount account = accounts.find(accountId).orElseGet(() -> defaultAccount(accountId));
        Tier tier = tier(account.tier());
        Periods p = account.periodsAt(clock.instant());
        LedgerRow row = ledger.find(accountId, p.monthStart()).map(r -> r.asOfDay(p))
                .orElseGet(() -> LedgerRow.empty(accountId, p));
        return QuotaSnapshot.of(accountId, tier, row);
    }

    public boolean tierExists(String name) {
        return tiers.find(name).isPresent();
    }

    /** Applies the tier of a subscription (newest version wins); it takes effect at once, mid-period. */
    @Transactional
    public void applySubscription(String accountId, String tier, long version) {
        if (accounts.applySubscription(accountId, requireTier(tier), version)) {
            tierApplied(accountId);
        }
    }

    /** Applies an account's e-mail, and its tier unless a subscription has set it (newest version wins). */
    @Transactional
    public void applyAccount(String accountId, String tier, String email, long version) {
        if (accounts.applyAccount(accountId, requireTier(tier), email, version)) {
            tierApplied(accountId);
        }
    }

    @Transactional(readOnly = true)
    public List<Tier> tiers() {
        return tiers.findAll();
    }

    @Transactional(readOnly = true)
    public Optional<Tier> findTier(String name) {
        return tiers.find(name);
    }

    /**
     * Creates or changes a tier; every account on it gets its new state on quota.v1 at once. Audited
     * ({@code tier.created} or {@code tier.updated}) with the admin and their reason.
     */
    @Transactional
    public Tier putTier(Tier tier, AuditLog.Actor admin, String reason) {
        Optional<Tier> before = tiers.find(tier.name());
        tiers.upsert(tier);
        for (String accountId : accounts.accountsOnTier(tier.name())) {
            leases.revokeOpen(accountId);
            accounts.find(accountId).ifPresent(this::checkCurrentThresholds);
            publishState(accountId);
        }
        Tier after = tier(tier.name());
        audit.record(admin, before.isPresent() ? "tier.updated" : "tier.created", "tier", tier.name(),
                before.orElse(null), after, reason);
        return after;
    }

    /**
     * Moves where an account's periods start. New periods start at once: counters of the old anchor's periods
     * stay in the ledger but no longer count.
     */
    @Transactional
    public QuotaSnapshot setAnchor(String accountId, ZoneId zone, int monthlyAnchorDay, AuditLog.Actor admin,
                                  String reason) {
        QuotaAccount before = ensureAccount(accountId);
        accounts.setAnchor(accountId, zone, monthlyAnchorDay);
        publishState(accountId);
        audit.record(admin, "account.anchor-moved", "account", accountId, anchorOf(before.timeZone(),
                before.monthlyAnchorDay()), anchorOf(zone, monthlyAnchorDay), reason);
        return snapshot(accountId);
    }

    private static Map<String, Object> anchorOf(ZoneId zone, int monthlyAnchorDay) {
        return Map.of("timeZone", zone.getId(), "monthlyAnchorDay", monthlyAnchorDay);
    }

    private void tierApplied(String accountId) {
        leases.revokeOpen(accountId);
        accounts.find(accountId).ifPresent(this::checkCurrentThresholds);
        publishState(accountId);
    }

    private void checkCurrentThresholds(QuotaAccount account) {
        Periods p = account.periodsAt(clock.instant());
        ledger.find(account.accountId(), p.monthStart()).map(r -> r.asOfDay(p))
                .ifPresent(row -> checkThresholds(account, row));
    }

    /** Records (once) and publishes every 80/90/100 % threshold the row's usage has reached. */
    private void checkThresholds(QuotaAccount account, LedgerRow row) {
        checkThresholds(account, tier(account.tier()), row);
    }

    private void checkThresholds(QuotaAccount account, Tier tier, LedgerRow row) {
        Instant now = clock.instant();
        for (LimitName name : LimitName.values()) {
            LimitState limit = row.limit(name, tier.max(name));
            for (int threshold : THRESHOLDS) {
                if (limit.max() > 0 && limit.usedPercent() >= threshold
                        && thresholds.record(account.accountId(), limit, threshold, tier.name())) {
                    outbox.publish(QuotaThresholdCrossed.TYPE,
                            account.accountId() + ":" + name.wireName() + ":" + limit.periodStart() + ":" + threshold,
                            account.accountId(), account.accountId(),
                            new QuotaThresholdCrossed(account.accountId(), tier.name(), name.wireName(), threshold,
                                    limit.max(), limit.used(), limit.periodStart(), limit.periodEnd(), now));
                }
            }
        }
    }

    /**
     * The version is taken before the state is read: a state read later, after more changes committed, always
     * gets a higher version, so consumers that keep the highest version keep the newest state.
     */
    private void publishState(String accountId) {
        long version = jdbc.sql("select nextval('quota_versions')").query(Long.class).single();
        QuotaSnapshot s = snapshot(accountId);
        List<QuotaChanged.Limit> limits = s.limits().stream().map(l -> new QuotaChanged.Limit(l.name().wireName(),
                l.max(), l.used(), l.held(), l.remaining(), l.periodStart(), l.periodEnd())).toList();
        outbox.publish(QuotaChanged.TYPE, accountId + ":" + version, accountId, accountId,
                new QuotaChanged(accountId, s.tier().name(), s.status(), s.tier().requestsPerMinute(),
                        s.tier().tokensPerMinute(), s.tier().allowedModels(), limits, version, clock.instant()));
    }

    private QuotaAccount ensureAccount(String accountId) {
        accounts.ensure(accountId, properties.defaultTier());
        return accounts.find(accountId).orElseThrow();
    }

    private QuotaAccount defaultAccount(String accountId) {
        return new QuotaAccount(accountId, properties.defaultTier(), null, ZoneOffset.UTC, 1);
    }

    private Tier tier(String name) {
        return tiers.find(name).orElseThrow(() -> new IllegalStateException("tier " + name + " is not configured"));
    }

    private String requireTier(String name) {
        if (tiers.find(name).isEmpty()) {
            throw new IllegalArgumentException("unknown tier '" + name + "'");
        }
        return name;
    }

    private ApiException refused(QuotaAccount account, PlaceHold c, Periods p, long maxTokens, long minTokens) {
        LimitName limit = ledger.refusal(c.accountId(), p, c.model(), c.promptTokens(), maxTokens, minTokens,
                c.inputPriceMicroUsdPerMillion(), c.outputPriceMicroUsdPerMillion());
        Tier tier = tier(account.tier());
        if (limit == null) {
            return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "insufficient_quota", "model_not_allowed_for_tier",
                    "The model '" + c.model() + "' is not available on the " + tier.name() + " tier (allowed: "
                            + String.join(", ", tier.allowedModels()) + ").", "model");
        }
        Instant resets = limit == LimitName.MESSAGES_PER_DAY ? p.dayEnd() : p.monthEnd();
        String what = switch (limit) {
            case MESSAGES_PER_DAY -> "its " + tier.messagesPerDay() + " messages per day";
            case TOKENS_PER_MONTH -> "its " + tier.tokensPerMonth() + " tokens per month";
            case COST_MICRO_USD_PER_MONTH -> "its monthly budget of " + tier.costMicroUsdPerMonth() + " micro-USD";
        };
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "insufficient_quota", limit.exceededCode(),
                "This request does not fit in what is left of the " + tier.name() + " tier's limits: the account has used "
                        + what + ". The limit resets at " + resets + ".", null);
    }
}
