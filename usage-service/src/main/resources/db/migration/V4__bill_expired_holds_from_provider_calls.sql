-- Billing a request chat-service could not bill (it crashed mid-stream, or could not write its usage event): when
-- its hold expires, usage-service publishes the request's usage.recorded.v1 from provider-service's record of the
-- call (llm-calls.v1), with the event id chat-service would have used. See the README, "Usage survives a
-- chat-service crash".

-- What the hold needs to write the request's usage event as chat-service would have.
alter table holds
    add column api_key_id text,
    add column streamed boolean not null default false,
    -- set once usage-service published the request's usage from provider-service's record of the call
    add column billed_from_provider_at timestamptz;

-- provider-service's record of the one call per request that is billed (the call that answered, or broke after
-- it started: outcome SUCCESS, ERROR or CLIENT_GONE with something consumed). Kept for 2 x usage.holds.ttl: long
-- enough for its hold to expire or be settled.
create table provider_calls (
    account_id              text        not null,
    request_id              text        not null,
    attempt                 int         not null,
    provider                text        not null,
    outcome                 text        not null,
    input_tokens            bigint      not null check (input_tokens >= 0),
    cached_input_tokens     bigint      not null check (cached_input_tokens >= 0),
    output_tokens           bigint      not null check (output_tokens >= 0),
    cost_micro_usd          bigint      not null check (cost_micro_usd >= 0),
    estimated               boolean     not null,
    latency_ms              bigint      not null check (latency_ms >= 0),
    time_to_first_token_ms  bigint,
    occurred_at             timestamptz not null,
    primary key (account_id, request_id)
);
create index provider_calls_occurred_at on provider_calls (occurred_at);
