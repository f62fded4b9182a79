-- rollout-service owns flags, rollout plans and their audit log (issue 7). Until then its schema holds
-- only the shared outbox and processed-event tables (service-kit's V0_1 migration).
comment on schema public is 'rollout-service: flags, rollout plans, audit log';
