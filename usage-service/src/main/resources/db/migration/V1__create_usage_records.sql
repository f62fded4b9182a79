-- The usage ledger: one row per metered model request, written from usage.recorded.v1 events (topic usage.v1).
-- The primary key is the CloudEvents id (header ce_id), derived by chat-service from the request id, so a
-- redelivered or replayed event inserts nothing (insert ... on conflict (event_id) do nothing).
create table usage_records (
    event_id               text        primary key,
    event_time             timestamptz not null,
    request_id             text        not null,
    account_id             text        not null,
    api_key_id             text,
    model                  text        not null,
    provider               text        not null,
    input_tokens           bigint      not null check (input_tokens >= 0),
    cached_input_tokens    bigint      not null check (cached_input_tokens >= 0 and cached_input_tokens <= input_tokens),
    output_tokens          bigint      not null check (output_tokens >= 0),
    -- integer micro-USD (1 USD = 1,000,000): money is never floating point
    cost_micro_usd         bigint      not null check (cost_micro_usd >= 0),
    estimated              boolean     not null,
    outcome                text        not null,
    streamed               boolean     not null,
    latency_ms             bigint      not null check (latency_ms >= 0),
    time_to_first_token_ms bigint      check (time_to_first_token_ms >= 0),
    occurred_at            timestamptz not null,
    recorded_at            timestamptz not null default now()
);

-- Summaries are per account and period.
create index usage_records_account_occurred_at on usage_records (account_id, occurred_at);
