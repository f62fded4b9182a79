package dev.chatplatform.usage.quota;

import dev.chatplatform.contracts.event.CloudEventHeaders;
import dev.chatplatform.contracts.event.EventIds;
import dev.chatplatform.contracts.provider.LlmCallRecorded;
import dev.chatplatform.contracts.usage.UsageRecorded;
import dev.chatplatform.testkit.KafkaProbe;
import dev.chatplatform.testkit.TestIdentities;
import dev.chatplatform.usage.UsageIntegrationTest;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Budget leases: blocks of budget drawn from request by request in the holder's memory, settled by the requests'
 * usage events, given back with what they consumed, and, for a holder that crashed, expired with their requests
 * billed from provider-service's records.
 */
class LeasesTest extends UsageIntegrationTest {

    private static final long TOKENS = 200_000;
    private static final long COST = 10_000_000_000L;
    private static final long PRICE = 1_000_000; // 1 micro-USD per token
    private static final long PROMPT = 100;
    private static final long MAX_OUTPUT = 900;
    private static final long WORST = PROMPT + MAX_OUTPUT; // tokens, and micro-USD at PRICE

    @Test
    void manyParallelRequestsOfOneAccountAcrossTwoLeaseHoldersNeverExceedTheLimitAndTheLedgerIsTheirUsage()
            throws Exception {
        String account = newAccount();
        subscribe(account, newTier(10_000, TOKENS, COST, List.of("*")), 1);
        Holder[] holders = {new Holder(account, "chat-a"), new Holder(account, "chat-b")};
        AtomicLong sentTokens = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicLong exactHolds = new AtomicLong();
        List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        List<Long> overLimit = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread sampler = Thread.ofVirtual().start(() -> {
            while (running.get()) {
                long reserved = jdbc.sql("select coalesce(sum(tokens_used + tokens_held), 0) from quota_ledger "
                        + "where account_id = :a").param("a", account).query(Long.class).single();
                if (reserved > TOKENS) {
                    overLimit.add(reserved);
                }
            }
        });
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 24; t++) {
                Holder holder = holders[t % 2];
                pool.submit(() -> {
                    while (true) {
                        String requestId = "req-" + UUID.randomUUID();
                        long output = ThreadLocalRandom.current().nextLong(0, MAX_OUTPUT + 1);
                        Draw draw = holder.draw();
                        if (draw == null) { // no lease near the limit: an exact hold, as today
                            Response r = hold(account, requestId, "sim-1", PROMPT, MAX_OUTPUT, PRICE, PRICE);
                            if (r.status() == 429) {
                                refusals.add(r.body().at("/error/code").asString());
                                return null;
                            }
                            assertThat(r.status()).isEqualTo(201);
                            exactHolds.incrementAndGet();
                            output = Math.min(output, r.body().get("grantedMaxTokens").asLong());
                        }
                        UsageRecorded used = usage(account, requestId, "sim-1", PROMPT, output, PROMPT + output);
                        send(draw == null ? used : used.drawnFrom(draw.lease().id));
                        sent.incrementAndGet();
                        sentTokens.addAndGet(PROMPT + output);
                        if (draw != null) {
                            holder.finish(draw, PROMPT + output);
                        }
                    }
                });
            }
        }
        for (Holder h : holders) {
            h.giveBackAll();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(sent.get()));
        running.set(false);
        sampler.join();

        assertThat(refusals).isNotEmpty().allMatch("monthly_tokens_exceeded"::equals);
        assertThat(holders[0].granted + holders[1].granted).as("leases granted").isGreaterThan(2);
        assertThat(holders[0].granted).isPositive();
        assertThat(holders[1].granted).isPositive();
        assertThat(exactHolds.get()).as("requests near the limit took exact holds").isPositive();
        assertThat(overLimit).as("used + held never above the limit").isEmpty();
        Map<String, Object> ledger = ledger(account);
        assertThat((Long) ledger.get("tokens_used")).isEqualTo(sentTokens.get()).isLessThanOrEqualTo(TOKENS);
        assertThat((Long) ledger.get("cost_used")).isEqualTo(sentTokens.get());
        assertThat((Long) ledger.get("day_messages_used")).isEqualTo(sent.get());
        assertThat(ledger).containsEntry("tokens_held", 0L).containsEntry("cost_held", 0L)
                .containsEntry("day_messages_held", 0L).containsEntry("lease_tokens_held", 0L)
                .containsEntry("lease_cost_held", 0L).containsEntry("lease_messages_held", 0L);
    }

    @Test
    void nearALimitNoLeaseIsGrantedAndTheExactHoldRefusesNamingTheLimit() {
        String account = newAccount();
        subscribe(account, newTier(10_000, 50_000, COST, List.of("*")), 1); // 10 % of 50,000 < 8,192
        Response lease = send("POST", TestIdentities.chatCaller(account), "/api/v1/leases", Map.of("holder", "chat-a"));
        assertThat(lease.status()).isEqualTo(409);
        assertThat(lease.body().at("/error/code").asString()).isEqualTo("lease_not_granted");

        String big = newAccount();
        subscribe(big, newTier(10_000, TOKENS, COST, List.of("sim-1")), 1);
        Response granted = send("POST", TestIdentities.chatCaller(big), "/api/v1/leases", Map.of("holder", "chat-a"));
        assertThat(granted.status()).isEqualTo(201);
        assertThat(granted.body().get("tokens").asLong()).isEqualTo(TOKENS / 10);
        assertThat(granted.body().get("messages").asLong()).as("at most the tier's requests per minute").isEqualTo(60);
        assertThat(granted.body().get("allowedModels").toString()).isEqualTo("[\"sim-1\"]");
        // what is left after the lease is still reserved exactly, hold by hold, and refused naming the limit
        assertThat(hold(big, "r1", "sim-1", 0, TOKENS - TOKENS / 10, 0, 0).status()).isEqualTo(201);
        Response refused = hold(big, "r2", "sim-1", 0, 100L, 0, 0);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().at("/error/code").asString()).isEqualTo("monthly_tokens_exceeded");
        assertThat(send("POST", TestIdentities.chatCaller(big), "/api/v1/leases", Map.of("holder", "chat-b")).status())
                .isEqualTo(409);
        assertThat(send("POST", TestIdentities.chatCaller(big), "/api/v1/leases", Map.of()).status()).isEqualTo(400);
    }

    @Test
    void usageEventsSettleALeaseInAnyOrderAndItsReturnGivesBackExactlyWhatWasNotUsed() {
        String account = newAccount();
        subscribe(account, newTier(10_000, TOKENS, COST, List.of("*")), 1);
        JsonNode lease = grant(account, "chat-a");
        String id = lease.get("leaseId").asString();
        send(usage(account, "req-" + UUID.randomUUID(), "sim-1", 100, 50, 150).drawnFrom(id));
        send(usage(account, "req-" + UUID.randomUUID(), "sim-1", 100, 250, 350).drawnFrom(id));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(2));
        assertThat(limit(account, "tokens_per_month").get("held").asLong()).isEqualTo(20_000 - 500);
        // given back before the third request's event is metered: its share stays held until it is
        assertThat(giveBack(account, id, 3, 500 + 700, 500 + 700).status()).isEqualTo(204);
        assertThat(limit(account, "tokens_per_month").get("held").asLong()).isEqualTo(700);
        send(usage(account, "req-" + UUID.randomUUID(), "sim-1", 200, 500, 700).drawnFrom(id));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(3));
        assertThat(ledger(account)).containsEntry("tokens_used", 1_200L).containsEntry("cost_used", 1_200L)
                .containsEntry("day_messages_used", 3L).containsEntry("tokens_held", 0L).containsEntry("cost_held", 0L)
                .containsEntry("day_messages_held", 0L).containsEntry("lease_tokens_held", 0L);
        assertThat(giveBack(account, id, 3, 1_200, 1_200).status()).as("given back twice: nothing changes").isEqualTo(204);
        assertThat(ledger(account)).containsEntry("tokens_held", 0L).containsEntry("tokens_used", 1_200L);
        assertThat(giveBack(newAccount(), id, 0, 0, 0).status()).as("another account's lease").isEqualTo(404);
        assertThat(giveBack(account, id, -1, 0, 0).status()).isEqualTo(400);
    }

    @Test
    void aLeaseWhoseHolderCrashedExpiresAndTheCallsMadeUnderItAreBilledOnceFromProviderServicesRecords() {
        String account = newAccount();
        subscribe(account, newTier(10_000, TOKENS, COST, List.of("*")), 1);
        String id = grant(account, "chat-a").get("leaseId").asString();
        String finished = "req-" + UUID.randomUUID(); // its usage event was written before the crash
        String cut = "req-" + UUID.randomUUID();      // killed mid-stream with chat-service
        send(usage(account, finished, "sim-1", 100, 20, 120).drawnFrom(id));
        publishCall(call(account, finished, LlmCallRecorded.Outcome.SUCCESS, 100, 20, 120));
        publishCall(call(account, cut, LlmCallRecorded.Outcome.CLIENT_GONE, 100, 42, 142));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedCalls(account)).isEqualTo(2));

        // the lease is never given back; the calls' ttl passes
        jdbc.sql("update leases set expires_at = now() - interval '1 hour' where id = :id").param("id", id).update();
        jdbc.sql("update provider_calls set occurred_at = now() - interval '11 minutes' where account_id = :a")
                .param("a", account).update();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(2));
        assertThat(jdbc.sql("select status from leases where id = :id").param("id", id).query(String.class).single())
                .isEqualTo("expired");
        JsonNode usage = me(account);
        assertThat(usage.get("outputTokens").asLong()).isEqualTo(20 + 42);
        assertThat(usage.get("costMicroUsd").asLong()).isEqualTo(120 + 142);
        List<ConsumerRecord<String, String>> published = KafkaProbe.readAll(UsageRecorded.TYPE.topic(),
                r -> account.equals(r.key()) && "usage-service".equals(header(r, CloudEventHeaders.SOURCE)),
                Duration.ofSeconds(2));
        assertThat(published).hasSize(1);
        assertThat(header(published.getFirst(), CloudEventHeaders.ID)).isEqualTo(EventIds.of(UsageRecorded.TYPE, cut));
        UsageRecorded event = json.readValue(published.getFirst().value(), UsageRecorded.class);
        assertThat(event.outcome()).isEqualTo(UsageRecorded.Outcome.CLIENT_DISCONNECTED);
        assertThat(event.streamed()).isTrue();

        // replays and chat-service's late event for the cut request bill nothing more
        publishCall(call(account, cut, LlmCallRecorded.Outcome.CLIENT_GONE, 100, 42, 142));
        send(usage(account, cut, "sim-1", 100, 50, 150));
        String marker = "req-" + UUID.randomUUID();
        send(usage(account, marker, "sim-1", 1, 1, 2));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(3));
        assertThat(me(account).get("costMicroUsd").asLong()).isEqualTo(120 + 142 + 2);
        assertThat(jdbc.sql("select count(*) from outbox_events where id = :id")
                .param("id", EventIds.of(UsageRecorded.TYPE, cut)).query(Long.class).single()).isEqualTo(1);

        // what the crashed holder never gave back stays held until the lease ended two ttls ago: the events billed
        // from provider-service's record name no lease, so that usage is reserved twice meanwhile (too much, never
        // too little); the marker named no lease either
        assertThat(limit(account, "tokens_per_month").get("held").asLong()).isEqualTo(20_000 - 120);
        assertThat(limit(account, "tokens_per_month").get("used").asLong()).isEqualTo(120 + 142 + 2);
        jdbc.sql("update leases set closed_at = now() - interval '21 minutes', expires_at = now() - interval '21 minutes'"
                + " where id = :id").param("id", id).update();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(account)).containsEntry("tokens_held", 0L).containsEntry("lease_tokens_held", 0L)
                        .containsEntry("cost_held", 0L).containsEntry("day_messages_held", 0L));
        assertThat(ledger(account)).containsEntry("tokens_used", 120L + 142 + 2);
    }

    @Test
    void usageServedWithoutAReservationLeavesTheLeasesIntactSoLeasedRequestsAndHoldsNeverExceedTheLimit() {
        String account = newAccount();
        subscribe(account, newTier(10_000, TOKENS, COST, List.of("*")), 1);
        String id = grant(account, "chat-a").get("leaseId").asString(); // 20,000 tokens
        String other = newAccount();
        subscribe(other, newTier(10_000, TOKENS, COST, List.of("*")), 1);
        String othersLease = grant(other, "chat-b").get("leaseId").asString();

        // served while usage-service was away (failed open: no hold, no lease), and two events naming a lease that is
        // not the account's: plain usage, nothing taken out of any lease's reservation
        send(usage(account, "req-" + UUID.randomUUID(), "sim-1", 1_000, 4_000, 5_000));
        send(usage(account, "req-" + UUID.randomUUID(), "sim-1", 100, 400, 500).drawnFrom(othersLease));
        send(usage(account, "req-" + UUID.randomUUID(), "sim-1", 100, 400, 500).drawnFrom("lease_unknown"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(3));
        assertThat(ledger(account)).containsEntry("tokens_used", 6_000L).containsEntry("lease_tokens_held", 20_000L)
                .containsEntry("tokens_held", 20_000L).containsEntry("lease_messages_held", 60L);
        assertThat(ledger(other)).containsEntry("lease_tokens_held", 20_000L).containsEntry("tokens_used", 0L);

        // what is left beside the lease is exactly the limit less the lease and that usage
        String held = "req-" + UUID.randomUUID();
        Response hold = hold(account, held, "sim-1", 0, TOKENS, 0, 0);
        assertThat(hold.status()).isEqualTo(201);
        assertThat(hold.body().get("grantedMaxTokens").asLong()).isEqualTo(TOKENS - 20_000 - 6_000);

        // the lease's requests use all of it, the hold all of its grant: the limit, not a token more
        send(usage(account, "req-" + UUID.randomUUID(), "sim-1", 2_000, 8_000, 10_000).drawnFrom(id));
        send(usage(account, "req-" + UUID.randomUUID(), "sim-1", 2_000, 8_000, 10_000).drawnFrom(id));
        send(usage(account, held, "sim-1", 0, TOKENS - 26_000, TOKENS - 26_000));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(6));
        assertThat(giveBack(account, id, 2, 20_000, 20_000).status()).isEqualTo(204);
        assertThat(ledger(account)).containsEntry("tokens_used", TOKENS).containsEntry("tokens_held", 0L)
                .containsEntry("lease_tokens_held", 0L).containsEntry("lease_cost_held", 0L)
                .containsEntry("lease_messages_held", 0L).containsEntry("day_messages_held", 0L)
                .containsEntry("day_messages_used", 6L);
        assertThat(hold(account, "req-" + UUID.randomUUID(), "sim-1", 0, 100L, 0, 0).status()).isEqualTo(429);
    }

    @Test
    void anEventWithoutALeaseIdFromAnOlderChatServiceOnlyEverReservesTooMuchUntilItsLeaseEndedTwoTtlsAgo() {
        String account = newAccount();
        subscribe(account, newTier(10_000, TOKENS, COST, List.of("*")), 1);
        String id = grant(account, "chat-a").get("leaseId").asString();
        // drawn from the lease, but written the way a chat-service older than the field writes it
        UsageRecorded old = usage(account, "req-" + UUID.randomUUID(), "sim-1", 100, 900, 1_000);
        ObjectNode value = json.valueToTree(old);
        value.remove("leaseId");
        KafkaProbe.send(record(UsageRecorded.TYPE.topic(), eventId(old), UsageRecorded.TYPE.name(), account,
                value.toString()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(recordedRequests(account)).isEqualTo(1));
        assertThat(ledger(account)).containsEntry("tokens_used", 1_000L).containsEntry("tokens_held", 20_000L);

        assertThat(giveBack(account, id, 1, 1_000, 1_000).status()).isEqualTo(204);
        assertThat(ledger(account)).as("its share stays reserved: the event did not say it was the lease's")
                .containsEntry("tokens_held", 1_000L).containsEntry("lease_tokens_held", 1_000L)
                .containsEntry("tokens_used", 1_000L);
        jdbc.sql("update leases set closed_at = now() - interval '21 minutes' where id = :id").param("id", id).update();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledger(account))
                .containsEntry("tokens_held", 0L).containsEntry("lease_tokens_held", 0L).containsEntry("cost_held", 0L)
                .containsEntry("day_messages_held", 0L));
        assertThat(ledger(account)).containsEntry("tokens_used", 1_000L).containsEntry("day_messages_used", 1L);
    }

    @Test
    void aTierChangeRevokesTheAccountsLeasesAndTheNextLeaseIsSizedByTheNewTier() {
        String account = newAccount();
        subscribe(account, newTier(10_000, TOKENS, COST, List.of("*")), 1);
        String id = grant(account, "chat-a").get("leaseId").asString();
        String smaller = newTier(10_000, TOKENS * 3 / 4, COST, List.of("sim-1"));
        subscribe(account, smaller, 2);

        Response read = get(TestIdentities.chatCaller(account), "/api/v1/leases/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("status").asString()).isEqualTo("revoked");
        JsonNode next = grant(account, "chat-a");
        assertThat(next.get("tier").asString()).isEqualTo(smaller);
        assertThat(next.get("allowedModels").toString()).isEqualTo("[\"sim-1\"]");
        assertThat(next.get("limits").toString()).as("the policy it was granted under, named as on quota.v1")
                .isEqualTo("{\"messages_per_day\":10000,\"tokens_per_month\":%d,\"cost_micro_usd_per_month\":%d}"
                        .formatted(TOKENS * 3 / 4, COST));
        assertThat(next.get("tokens").asLong()).as("10 % of what the new tier leaves").isEqualTo((TOKENS * 3 / 4 - 20_000) / 10);
        assertThat(giveBack(account, id, 0, 0, 0).status()).isEqualTo(204);
        assertThat(limit(account, "tokens_per_month").get("held").asLong()).isEqualTo(next.get("tokens").asLong());
    }

    private JsonNode grant(String account, String holder) {
        Response r = send("POST", TestIdentities.chatCaller(account), "/api/v1/leases", Map.of("holder", holder));
        assertThat(r.status()).isEqualTo(201);
        return r.body();
    }

    private Response giveBack(String account, String leaseId, long messages, long tokens, long cost) {
        return send("POST", TestIdentities.chatCaller(account), "/api/v1/leases/" + leaseId + "/return",
                Map.of("messages", messages, "tokens", tokens, "costMicroUsd", cost));
    }

    private Map<String, Object> ledger(String account) {
        return jdbc.sql("select * from quota_ledger where account_id = :a").param("a", account).query().singleRow();
    }

    private long recordedCalls(String account) {
        return jdbc.sql("select count(*) from provider_calls where account_id = :a").param("a", account)
                .query(Long.class).single();
    }

    private void publishCall(LlmCallRecorded call) {
        publish(LlmCallRecorded.TYPE, call.requestId() + ":" + call.attempt(), call.accountId(), call);
    }

    private static LlmCallRecorded call(String account, String requestId, LlmCallRecorded.Outcome outcome,
                                        long input, long output, long cost) {
        return new LlmCallRecorded(requestId, account, 1, "simulated", "sim-1", "sim-1-upstream", outcome,
                outcome == LlmCallRecorded.Outcome.SUCCESS ? null : "stream_cut", 900, 80L, input, 0, output, cost,
                false, Map.of(), Instant.now());
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** One request's draw from a lease: what it took, to give back the difference when it ends. */
    private record Draw(LeaseState lease) {
    }

    /** A lease as its holder sees it: what is left to draw, what its ended requests consumed, requests running. */
    private static final class LeaseState {
        final String id;
        long messages;
        long tokens;
        long cost;
        long usedMessages;
        long usedTokens;
        int running;
        boolean retired;

        LeaseState(JsonNode lease) {
            id = lease.get("leaseId").asString();
            messages = lease.get("messages").asLong();
            tokens = lease.get("tokens").asLong();
            cost = lease.get("costMicroUsd").asLong();
        }
    }

    /**
     * What chat-service does, in miniature: draws each request's worst case from its current lease; when that is
     * exhausted, retires it (given back once its running requests ended) and leases anew; no lease near the limit.
     */
    private final class Holder {
        final String account;
        final String name;
        LeaseState current;
        boolean noLease;
        int granted;
        final List<LeaseState> retired = new ArrayList<>();

        Holder(String account, String name) {
            this.account = account;
            this.name = name;
        }

        synchronized Draw draw() {
            if (current != null && (current.messages < 1 || current.tokens < WORST || current.cost < WORST)) {
                retire(current);
                current = null;
            }
            if (current == null && !noLease) {
                Response r = send("POST", TestIdentities.chatCaller(account), "/api/v1/leases", Map.of("holder", name));
                if (r.status() == 201) {
                    current = new LeaseState(r.body());
                    granted++;
                } else {
                    assertThat(r.status()).isEqualTo(409);
                    noLease = true;
                }
            }
            if (current == null || current.messages < 1 || current.tokens < WORST || current.cost < WORST) {
                return null;
            }
            current.messages--;
            current.tokens -= WORST;
            current.cost -= WORST;
            current.running++;
            return new Draw(current);
        }

        synchronized void finish(Draw draw, long consumed) {
            LeaseState l = draw.lease();
            l.tokens += WORST - consumed;
            l.cost += WORST - consumed;
            l.usedMessages++;
            l.usedTokens += consumed;
            l.running--;
            if (l.retired && l.running == 0) {
                giveBackNow(l);
            }
        }

        synchronized void giveBackAll() {
            if (current != null) {
                retire(current);
                current = null;
            }
            assertThat(retired).allMatch(l -> l.running == 0);
        }

        private void retire(LeaseState l) {
            l.retired = true;
            retired.add(l);
            if (l.running == 0) {
                giveBackNow(l);
            }
        }

        private void giveBackNow(LeaseState l) {
            assertThat(giveBack(account, l.id, l.usedMessages, l.usedTokens, l.usedTokens).status()).isEqualTo(204);
        }
    }
}
