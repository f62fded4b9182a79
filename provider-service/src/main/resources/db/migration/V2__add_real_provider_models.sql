-- Aliases (other names callers may use) and the account tiers allowed to use a model (empty = every tier).
alter table models add column aliases text[] not null default '{}';
alter table models add column tiers text[] not null default '{}';

-- The real providers' models. A model is listed and served only while its provider is configured
-- (OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, GROQ_API_KEY); prices are the providers' list
-- prices per million tokens in micro-USD, in force from 2025-01-01 (add a dated row to change one).
insert into models (id, provider, upstream_model, context_window, max_output_tokens, capabilities, aliases, tiers, created_at)
values ('gpt-4o-mini', 'openai', 'gpt-4o-mini', 128000, 16384, '{chat,streaming,tools,vision}', '{}', '{}', '2025-01-01T00:00:00Z'),
       ('gpt-4o', 'openai', 'gpt-4o', 128000, 16384, '{chat,streaming,tools,vision}', '{}', '{pro,enterprise}', '2025-01-01T00:00:00Z'),
       ('gpt-4.1-mini', 'openai', 'gpt-4.1-mini', 1047576, 32768, '{chat,streaming,tools,vision}', '{}', '{}', '2025-01-01T00:00:00Z'),
       ('claude-haiku-4-5', 'anthropic', 'claude-haiku-4-5', 200000, 64000, '{chat,streaming,tools,vision}', '{claude-haiku}', '{}', '2025-01-01T00:00:00Z'),
       ('claude-sonnet-4-5', 'anthropic', 'claude-sonnet-4-5', 200000, 64000, '{chat,streaming,tools,vision}', '{claude-sonnet}', '{pro,enterprise}', '2025-01-01T00:00:00Z'),
       ('gemini-2.5-flash', 'gemini', 'gemini-2.5-flash', 1048576, 65536, '{chat,streaming,tools,vision}', '{}', '{}', '2025-01-01T00:00:00Z'),
       ('gemini-2.5-flash-lite', 'gemini', 'gemini-2.5-flash-lite', 1048576, 65536, '{chat,streaming,tools,vision}', '{}', '{}', '2025-01-01T00:00:00Z'),
       ('llama-3.1-8b-instant', 'groq', 'llama-3.1-8b-instant', 131072, 32768, '{chat,streaming,tools}', '{}', '{}', '2025-01-01T00:00:00Z'),
       ('llama-3.3-70b-versatile', 'groq', 'llama-3.3-70b-versatile', 131072, 32768, '{chat,streaming,tools}', '{}', '{}', '2025-01-01T00:00:00Z');

insert into model_prices (model_id, effective_from, input_micro_usd_per_mtok, output_micro_usd_per_mtok,
                          cached_input_micro_usd_per_mtok)
values ('gpt-4o-mini', '2025-01-01T00:00:00Z', 150000, 600000, 75000),
       ('gpt-4o', '2025-01-01T00:00:00Z', 2500000, 10000000, 1250000),
       ('gpt-4.1-mini', '2025-01-01T00:00:00Z', 400000, 1600000, 100000),
       ('claude-haiku-4-5', '2025-01-01T00:00:00Z', 1000000, 5000000, 100000),
       ('claude-sonnet-4-5', '2025-01-01T00:00:00Z', 3000000, 15000000, 300000),
       ('gemini-2.5-flash', '2025-01-01T00:00:00Z', 300000, 2500000, 75000),
       ('gemini-2.5-flash-lite', '2025-01-01T00:00:00Z', 100000, 400000, 25000),
       ('llama-3.1-8b-instant', '2025-01-01T00:00:00Z', 50000, 80000, 50000),
       ('llama-3.3-70b-versatile', '2025-01-01T00:00:00Z', 590000, 790000, 590000);
