-- The caller's tier for model "auto", from the compacted accounts.v1 (newest version wins; unknown = free).
create table account_tiers (
    account_id text primary key,
    tier       text        not null,
    version    bigint      not null,
    updated_at timestamptz not null default now()
);

-- The exact-match response cache, scoped to the account (never shared). Lookups ignore expired rows; a
-- periodic sweep deletes them.
create table response_cache (
    account_id text        not null,
    cache_key  text        not null,
    model      text        not null,
    answer     jsonb       not null,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    primary key (account_id, cache_key)
);
create index response_cache_expires_at on response_cache (expires_at);

-- Capability signals for model "auto": code and multi-step reasoning. sim-1 stands for the bigger model.
update models set capabilities = capabilities || '{code,reasoning}'
where id in ('sim-1', 'gpt-4o', 'gpt-4.1-mini', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'gemini-2.5-flash');
update models set capabilities = capabilities || '{code}' where id in ('llama-3.3-70b-versatile', 'gpt-4o-mini');
