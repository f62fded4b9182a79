-- What kind of model call the metered usage is (usage.recorded.v1's kind; absent = CHAT): only CHAT usage is
-- reported on the Stripe chat tokens meter; EMBEDDINGS usage (input tokens only) is counted here all the same.
alter table metered_usage add column kind text not null default 'CHAT' check (kind in ('CHAT', 'EMBEDDINGS'));
