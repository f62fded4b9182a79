-- What kind of model call a usage record is (usage.recorded.v1's optional kind; absent = CHAT): CHAT or EMBEDDINGS.
-- Records written before the field existed are chat.
alter table usage_records add column kind text not null default 'CHAT' check (kind in ('CHAT', 'EMBEDDINGS'));

-- The free tier may use the simulated embedding model beside the simulated chat models (only when an admin has not
-- changed the tier's model list already).
update tiers set allowed_models = array['sim-1', 'sim-1-mini', 'sim-embed-1']
where name = 'free' and allowed_models = array['sim-1', 'sim-1-mini'];
