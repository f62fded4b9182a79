-- usage.v1 rows are split by the kind of model call too: chat or embeddings (usage.recorded.v1's kind; absent =
-- chat), so the usage report can be grouped and filtered by kind. Rows written before are chat.
alter table usage_daily add column kind varchar(20) not null default 'chat' check (kind in ('chat', 'embeddings'));
alter table usage_daily drop constraint usage_daily_pkey;
alter table usage_daily add primary key (day, account_id, model, provider, outcome, kind);
