-- Issue 14: the lease pool is accounted lease by lease. A usage event names the lease its request drew from
-- (usage.recorded.v1 leaseId) and takes its numbers out of THAT lease's part of the pool only; an event that names
-- no lease (a hold of its own, no reservation at all, or billed from provider-service's record) takes nothing from
-- any pool, so a request served without a reservation can no longer use up what other requests reserved. The
-- ledger's lease_*_held counters stay the sum of the pooled_* of the leases of their period.

-- What of this lease is still reserved in the account's lease pool: what was leased, less what its holder gave
-- back unused and what the usage events naming it took out. Released by the sweep twice the hold ttl after the
-- lease ended (every request made under it has been metered by then).
alter table leases
    add column pooled_messages bigint not null default 0 check (pooled_messages >= 0),
    add column pooled_tokens   bigint not null default 0 check (pooled_tokens >= 0),
    add column pooled_cost     bigint not null default 0 check (pooled_cost >= 0);

-- Leases granted before: what is in each period's pool is given to the newest lease of that account and month, so
-- that the sweep releases it after that lease ended; a pool no lease is left for is released now.
update leases s set pooled_messages = case when l.day_start = s.day_start then l.lease_messages_held else 0 end,
                    pooled_tokens = l.lease_tokens_held, pooled_cost = l.lease_cost_held
from quota_ledger l
where l.account_id = s.account_id and l.month_start = s.month_start
  and s.id = (select n.id from leases n where n.account_id = s.account_id and n.month_start = s.month_start
              order by n.created_at desc, n.id desc limit 1);
update quota_ledger l set
    day_messages_held = day_messages_held - lease_messages_held, lease_messages_held = 0,
    tokens_held = tokens_held - lease_tokens_held, lease_tokens_held = 0,
    cost_held = cost_held - lease_cost_held, lease_cost_held = 0
where (lease_messages_held > 0 or lease_tokens_held > 0 or lease_cost_held > 0)
  and not exists (select 1 from leases s where s.account_id = l.account_id and s.month_start = l.month_start);
-- messages pooled on a day the ledger has left were reset with that day's counters
update quota_ledger l set day_messages_held = day_messages_held - lease_messages_held, lease_messages_held = 0
where lease_messages_held > 0
  and not exists (select 1 from leases s where s.account_id = l.account_id and s.month_start = l.month_start
                  and s.day_start = l.day_start and s.pooled_messages > 0);

-- the sweep looks for ended leases with something still pooled
create index leases_pooled on leases (closed_at) where pooled_messages > 0 or pooled_tokens > 0 or pooled_cost > 0;
drop index quota_ledger_lease_pools;
