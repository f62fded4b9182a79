-- Budget leases (issue 14): a block of an account's budget reserved for one chat-service instance, drawn from in
-- its memory request by request, so the common request makes no call to usage-service and takes no row lock here.
-- See the README, "Budget leases".

-- The part of the *_held counters that belongs to leases (the lease pool): what was leased and not yet covered by
-- usage events or given back. A usage event of a request without a hold moves its numbers from here to *_used.
alter table quota_ledger
    add column lease_messages_held bigint not null default 0 check (lease_messages_held >= 0),
    add column lease_tokens_held   bigint not null default 0 check (lease_tokens_held >= 0),
    add column lease_cost_held     bigint not null default 0 check (lease_cost_held >= 0);
-- the sweep looks for accounts with something left in a pool
create index quota_ledger_lease_pools on quota_ledger (account_id)
    where lease_messages_held > 0 or lease_tokens_held > 0 or lease_cost_held > 0;

create table leases (
    id                  text        primary key,
    account_id          text        not null references quota_accounts (account_id),
    holder              text        not null,
    month_start         timestamptz not null,
    day_start           timestamptz not null,
    messages            bigint      not null check (messages >= 0),
    tokens              bigint      not null check (tokens >= 0),
    cost_micro_usd      bigint      not null check (cost_micro_usd >= 0),
    -- open: drawn from; returned: given back by its holder with what it consumed; revoked: the account's tier
    -- changed (the holder stops drawing and returns it); expired: not returned in time (the holder crashed)
    status              text        not null check (status in ('open', 'returned', 'revoked', 'expired')),
    created_at          timestamptz not null default now(),
    expires_at          timestamptz not null,
    closed_at           timestamptz
);
create index leases_due on leases (expires_at) where status in ('open', 'revoked');
create index leases_account on leases (account_id, expires_at);

-- provider-service's record of a call made under a lease (no hold of its own) is billed by its age when no usage
-- event came for it: the model it served (a hold would have named the model asked for) and when it was billed
alter table provider_calls
    add column model text,
    add column billed_at timestamptz;
create index provider_calls_unbilled on provider_calls (occurred_at) where billed_at is null;
