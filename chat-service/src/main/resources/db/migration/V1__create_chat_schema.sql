-- chat-service will own conversations and messages (a later issue). Until then its schema holds only the
-- shared outbox (usage events leave through it) and processed-event tables (service-kit's V0_1 migration).
comment on schema public is 'chat-service: conversations and messages';
