-- Tiers and their limits. These rows are the defaults; admins change them at runtime
-- (PUT /api/v1/usage/admin/tiers/{name}) and the change applies at once to every account on the tier.
create table tiers (
    name                     text        primary key check (name ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
    messages_per_day         bigint      not null check (messages_per_day >= 0),
    tokens_per_month         bigint      not null check (tokens_per_month >= 0),
    -- integer micro-USD (1 USD = 1,000,000)
    cost_micro_usd_per_month bigint      not null check (cost_micro_usd_per_month >= 0),
    -- enforced by the gateway (published on quota.v1), stored here
    requests_per_minute      bigint      not null check (requests_per_minute >= 0),
    tokens_per_minute        bigint      not null check (tokens_per_minute >= 0),
    -- model ids the tier may use; '*' = any model
    allowed_models           text[]      not null,
    updated_at               timestamptz not null default now()
);

insert into tiers (name, messages_per_day, tokens_per_month, cost_micro_usd_per_month, requests_per_minute,
                   tokens_per_minute, allowed_models) values
    ('free',           50,       100000,       1000000,   10,    20000, array['sim-1', 'sim-1-mini']),
    ('basic',         500,      2000000,      10000000,   60,   100000, array['*']),
    ('pro',          5000,     20000000,     100000000,  300,   500000, array['*']),
    ('enterprise', 100000,   1000000000,   10000000000, 3000,  5000000, array['*']);
