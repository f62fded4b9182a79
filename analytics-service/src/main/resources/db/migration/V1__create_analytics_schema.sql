-- analytics-service owns its aggregates (per day, model, provider and account; issue 8). Until then its schema
-- holds only the shared outbox and processed-event tables (service-kit's V0_1 migration).
comment on schema public is 'analytics-service: aggregates of every topic';
