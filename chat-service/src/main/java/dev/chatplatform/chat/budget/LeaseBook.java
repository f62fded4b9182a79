package dev.chatplatform.chat.budget;

import dev.chatplatform.chat.context.ModelFacts;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.kit.identity.CallerIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Budget leases (issue 14), chat-service's side: per account, a block of budget leased from usage-service
 * ({@code POST /api/v1/leases}) that requests draw their worst case from in memory, so the common request makes
 * no call to usage-service. A draw takes 1 message, prompt + max tokens, and their worst-case cost at the model's
 * price, atomically (under the account's lock), or nothing (the request then takes an exact hold, which refuses
 * with the limit's 429 near a limit). When the request ends, what it did not use goes back to the lease: its
 * usage event ({@link #requestEnded}, which names the lease) says what it used; a request released by its caller
 * used nothing.
 * <p>
 * One lease call per account at a time: the first request of an account (and any request while its lease runs low:
 * under half of a part left, or of its time) starts it. Requests the current lease cannot cover (the account has
 * none yet) wait for that call and draw from the new lease; so the first request costs one call to usage-service,
 * as its hold would have, and a burst of an account's requests costs one call, not one hold each (which queued on
 * the account's ledger row until they timed out). Requests the current lease covers never wait: the next lease is
 * taken off their path. A lease
 * replaced, expired or revoked (usage-service revokes on a tier change; checked every
 * {@code chat.budget.lease.check-interval}) is drawn from no more and is given back, with what its requests
 * consumed, once they all ended; on shutdown every lease is given back the same way.
 */
public class LeaseBook implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseBook.class);
    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

    private final UsageClient usage;
    private final BudgetProperties.Lease config;
    private final JsonMapper json;
    private final KnownTiers tiers;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Draw> running = new ConcurrentHashMap<>();
    private final Set<Lease> unreturned = ConcurrentHashMap.newKeySet();
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService maintenance;
    private final Duration acquireWait;

    LeaseBook(UsageClient usage, BudgetProperties properties, JsonMapper json) {
        this.usage = usage;
        this.config = properties.lease();
        this.json = json;
        this.tiers = new KnownTiers(properties.knownAccounts());
        this.acquireWait = properties.connectTimeout().plus(properties.responseTimeout());
        this.maintenance = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("budget-leases").factory());
        if (config.enabled()) {
            long every = config.checkInterval().toMillis();
            maintenance.scheduleWithFixedDelay(this::maintain, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Draws the request's worst case from the account's lease; null when leases are off, the account has no lease
     * (none could be had), the lease does not allow the model, or what is left of it does not cover the worst case.
     * A request the current lease cannot cover while the account's next lease is being requested waits for that one
     * call (at most the usage client's connect and response timeouts) and tries once more, so a burst of an account's
     * requests makes one lease call instead of one exact hold each.
     */
    Hold draw(CallerIdentity caller, String model, ModelFacts.Price price, long promptTokens, long maxTokens,
              String requestId) {
        if (!config.enabled() || requestId == null || running.containsKey(requestId)) {
            return null;
        }
        long tokens = promptTokens + maxTokens;
        long cost = worstCost(promptTokens, maxTokens, price);
        Account account = accounts.computeIfAbsent(caller.accountId(), Account::new);
        Attempt attempt = attempt(account, caller, model, requestId, tokens, cost);
        if (attempt.draw() == null && attempt.leasing() != null) {
            awaitLease(attempt.leasing());
            attempt = attempt(account, caller, model, requestId, tokens, cost);
        }
        Draw draw = attempt.draw();
        if (draw == null) {
            return null;
        }
        running.put(requestId, draw);
        return new Hold(draw.lease.id, maxTokens, maxTokens, draw);
    }

    /**
     * One try at drawing from the account's current lease; starts the account's next lease call when it has no lease
     * or its lease runs low (and no call is running, and none was refused or failed within the retry delay).
     * {@code leasing} is the running lease call, when there is one.
     */
    private Attempt attempt(Account account, CallerIdentity caller, String model, String requestId, long tokens,
                            long cost) {
        Draw draw = null;
        boolean acquire;
        CompletableFuture<Void> leasing;
        synchronized (account) {
            account.caller = caller;
            account.lastUsedNanos = System.nanoTime();
            Lease lease = account.current;
            if (lease != null && (lease.revoked || !Instant.now().isBefore(lease.drawUntil))) {
                retire(lease);
                account.current = lease = null;
            }
            if (lease != null && lease.allows(model) && lease.messages >= 1 && lease.tokens >= tokens
                    && lease.cost >= cost) {
                lease.messages--;
                lease.tokens -= tokens;
                lease.cost -= cost;
                lease.running++;
                draw = new Draw(lease, requestId, tokens, cost, System.nanoTime());
            }
            acquire = account.leasing == null && System.nanoTime() - account.retryAfterNanos >= 0
                    && (lease == null || lease.low());
            if (acquire) {
                account.leasing = new CompletableFuture<>();
            }
            leasing = account.leasing;
        }
        if (acquire) {
            calls.execute(() -> acquire(account));
        }
        return new Attempt(draw, leasing);
    }

    private void awaitLease(CompletableFuture<Void> leasing) {
        try {
            leasing.get(acquireWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the request takes an exact hold
        }
    }

    /** A request drawn from a lease ended without usage to bill: all it drew goes back to the lease. */
    void release(Draw draw) {
        if (running.remove(draw.requestId, draw)) {
            end(draw, 0, 0, 0);
        }
    }

    /**
     * A request's usage event is being recorded: what it drew beyond its usage goes back to its lease, and its usage
     * is added to the lease's consumption (also when the event cannot be written: usage-service then bills the call
     * from provider-service's record, the same numbers). Returns the event to record: naming the lease when the
     * request drew from one. The event names a lease exactly when its usage is in that lease's consumption, which
     * is what usage-service's settlement relies on (an event naming a lease settles from the lease's reservation,
     * one naming none is plain usage).
     */
    public UsageRecorded requestEnded(UsageRecorded usage) {
        Draw draw = running.remove(usage.requestId());
        if (draw == null) {
            return usage;
        }
        end(draw, 1, usage.totalTokens(), usage.costMicroUsd());
        return usage.drawnFrom(draw.lease.id);
    }

    private void end(Draw draw, long messages, long tokens, long cost) {
        Lease lease = draw.lease;
        boolean giveBack;
        synchronized (lease.account) {
            lease.messages += 1 - messages;
            lease.tokens += Math.max(0, draw.tokens - tokens);
            lease.cost += Math.max(0, draw.cost - cost);
            lease.usedMessages += messages;
            lease.usedTokens += Math.max(tokens, 0);
            lease.usedCost += Math.max(cost, 0);
            lease.running--;
            giveBack = lease.retired && lease.running == 0;
        }
        if (giveBack) {
            calls.execute(() -> giveBack(lease));
        }
    }

    private void acquire(Account account) {
        CallerIdentity caller;
        synchronized (account) {
            caller = account.caller;
        }
        Lease granted = null;
        try {
            HttpResponse<byte[]> response = usage.lease(json.writeValueAsBytes(Map.of("holder", config.holder())), caller);
            if (response.statusCode() == 201) {
                granted = parse(account, json.readTree(response.body()));
            } else if (response.statusCode() != 409) { // 409: near a limit, exact holds until the retry
                log.warn("usage-service answered HTTP {} to a lease for account {}", response.statusCode(), account.id);
            }
        } catch (RuntimeException e) {
            log.warn("could not lease budget for account {}: {}", account.id, e.toString());
        }
        CompletableFuture<Void> leasing;
        synchronized (account) {
            leasing = account.leasing;
            account.leasing = null;
            if (granted == null) {
                account.retryAfterNanos = System.nanoTime() + config.retryAfter().toNanos();
            } else {
                if (account.current != null) {
                    retire(account.current);
                }
                account.current = granted;
            }
        }
        leasing.complete(null); // the requests waiting for this call try again
    }

    private Lease parse(Account account, JsonNode body) {
        Set<String> models = new HashSet<>();
        body.path("allowedModels").forEach(m -> models.add(m.asString()));
        Instant expires = Instant.parse(body.path("expiresAt").asString());
        tiers.remember(account.id, body.path("tier").asString(null));
        return new Lease(account, body.path("leaseId").asString(), body.path("messages").asLong(),
                body.path("tokens").asLong(), body.path("costMicroUsd").asLong(), models,
                expires.minus(config.expiryMargin()));
    }

    /** Under the account's lock: draws no more from the lease, and gives it back once its requests ended. */
    private void retire(Lease lease) {
        if (lease.retired) {
            return;
        }
        lease.retired = true;
        if (lease.running == 0) {
            calls.execute(() -> giveBack(lease));
        }
    }

    private void giveBack(Lease lease) {
        CallerIdentity caller;
        Map<String, Long> consumed;
        synchronized (lease.account) {
            caller = lease.account.caller;
            consumed = Map.of("messages", lease.usedMessages, "tokens", lease.usedTokens, "costMicroUsd", lease.usedCost);
        }
        try {
            int status = usage.giveBack(lease.id, json.writeValueAsBytes(consumed), caller).statusCode();
            if (status == 204 || status == 404) {
                unreturned.remove(lease);
                return;
            }
            log.warn("usage-service answered HTTP {} to giving back lease {}; retrying", status, lease.id);
        } catch (RuntimeException e) {
            log.warn("could not give back lease {}, retrying: {}", lease.id, e.toString());
        }
        unreturned.add(lease);
    }

    /**
     * Every check interval: retires expired leases, asks usage-service whether the current ones were revoked,
     * gives back those a failure left, ends draws older than the draw timeout at their worst case (a request whose
     * end was never told: usage-service bills it from provider-service's record), and forgets idle accounts.
     */
    private void maintain() {
        try {
            long now = System.nanoTime();
            long idleNanos = config.retryAfter().plus(config.checkInterval().multipliedBy(10)).toNanos();
            for (Map.Entry<String, Draw> e : running.entrySet()) {
                Draw d = e.getValue();
                if (now - d.startedNanos > config.drawTimeout().toNanos() && running.remove(e.getKey(), d)) {
                    log.warn("request {} drawn from lease {} never told its end: counted at its worst case",
                            e.getKey(), d.lease.id);
                    end(d, 1, d.tokens, d.cost);
                }
            }
            for (Account account : accounts.values()) {
                Lease current;
                CallerIdentity caller;
                synchronized (account) {
                    current = account.current;
                    caller = account.caller;
                    if (current != null && !Instant.now().isBefore(current.drawUntil)) {
                        retire(current);
                        account.current = current = null;
                    }
                    if (current == null && account.leasing == null && now - account.lastUsedNanos > idleNanos) {
                        accounts.remove(account.id, account);
                    }
                }
                if (current != null) {
                    checkRevoked(current, caller);
                }
            }
            for (Lease lease : List.copyOf(unreturned)) {
                giveBack(lease);
            }
        } catch (RuntimeException e) {
            log.warn("lease maintenance failed, retrying: {}", e.toString());
        }
    }

    private void checkRevoked(Lease lease, CallerIdentity caller) {
        try {
            HttpResponse<byte[]> response = usage.getLease(lease.id, caller);
            if (response.statusCode() == 200 && !"open".equals(json.readTree(response.body()).path("status").asString())) {
                synchronized (lease.account) {
                    lease.revoked = true;
                }
            }
        } catch (RuntimeException e) {
            log.debug("could not check lease {}: {}", lease.id, e.toString());
        }
    }

    /** The tier each account was on at its last hold or lease (for failing open while usage-service is away). */
    KnownTiers tiers() {
        return tiers;
    }

    /** Gives back every lease whose requests ended (the server has stopped taking requests). */
    @Override
    public void close() {
        maintenance.shutdownNow();
        List<Lease> idle = new ArrayList<>();
        for (Account account : accounts.values()) {
            synchronized (account) {
                if (account.current != null) {
                    account.current.retired = true;
                    if (account.current.running == 0) {
                        idle.add(account.current);
                    }
                    account.current = null;
                }
            }
        }
        idle.forEach(this::giveBack);
        List.copyOf(unreturned).forEach(this::giveBack);
        calls.shutdown();
        try {
            if (!calls.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("leases still being given back at shutdown; usage-service expires them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Worst-case cost as usage-service computes a hold's: ceil((prompt * in + max * out) / 10^6), exact. */
    static long worstCost(long promptTokens, long maxTokens, ModelFacts.Price price) {
        BigInteger scaled = BigInteger.valueOf(promptTokens).multiply(BigInteger.valueOf(price.inputMicroUsdPerMillion()))
                .add(BigInteger.valueOf(maxTokens).multiply(BigInteger.valueOf(price.outputMicroUsdPerMillion())));
        BigInteger[] qr = scaled.divideAndRemainder(MILLION);
        BigInteger cost = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        return cost.bitLength() < 63 ? cost.longValue() : Long.MAX_VALUE;
    }

    /** The leases of one account; every field is guarded by the instance's lock. */
    private static final class Account {
        final String id;
        CallerIdentity caller;
        Lease current;
        /** The running lease call, completed when it ends (granted or not); null when none runs. */
        CompletableFuture<Void> leasing;
        long retryAfterNanos = System.nanoTime();
        long lastUsedNanos = System.nanoTime();

        Account(String id) {
            this.id = id;
        }
    }

    /** One lease: what is left to draw, what ended requests used, requests running. Guarded by its account's lock. */
    private static final class Lease {
        final Account account;
        final String id;
        final long grantedMessages;
        final long grantedTokens;
        final long grantedCost;
        final Set<String> allowedModels;
        final Instant drawUntil;
        final long grantedAtNanos = System.nanoTime();
        long messages;
        long tokens;
        long cost;
        long usedMessages;
        long usedTokens;
        long usedCost;
        int running;
        boolean retired;
        boolean revoked;

        Lease(Account account, String id, long messages, long tokens, long cost, Set<String> allowedModels,
              Instant drawUntil) {
            this.account = account;
            this.id = id;
            this.grantedMessages = this.messages = messages;
            this.grantedTokens = this.tokens = tokens;
            this.grantedCost = this.cost = cost;
            this.allowedModels = Set.copyOf(allowedModels);
            this.drawUntil = drawUntil;
        }

        boolean allows(String model) {
            return allowedModels.contains("*") || allowedModels.contains(model);
        }

        /** Under half of a part, or of its time, is left: time to lease the next one. */
        boolean low() {
            long lifeNanos = Duration.between(Instant.now(), drawUntil).toNanos();
            long livedNanos = System.nanoTime() - grantedAtNanos;
            return messages * 2 < grantedMessages || tokens * 2 < grantedTokens || cost * 2 < grantedCost
                    || lifeNanos < livedNanos;
        }
    }

    /** One try at drawing: the draw (null when none) and the account's running lease call (null when none). */
    private record Attempt(Draw draw, CompletableFuture<Void> leasing) {
    }

    /** What one request drew from a lease. */
    record Draw(Lease lease, String requestId, long tokens, long cost, long startedNanos) {
    }
}
