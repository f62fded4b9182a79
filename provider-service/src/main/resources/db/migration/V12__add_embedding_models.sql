-- Embedding models (served by /v1/embeddings, refused by /v1/chat/completions): capability 'embeddings'.
-- For them context_window is the most tokens one input may hold and max_output_tokens the size of the model's own
-- vectors (the largest 'dimensions' a caller may ask for). Prices are per million input tokens; embeddings have no
-- output tokens, so the output and cached prices are never used (kept equal to the input price for the check of
-- cached <= input that every other row keeps).
-- sim-embed-1 is the built-in simulated embedding model, always on like sim-1 (deterministic: same text, same vector).
-- A real provider's model is listed and served only while its provider is configured; nomic-embed-text is the
-- usual embedding model of Ollama and other OpenAI-compatible servers (OPENAI_COMPATIBLE_MODELS=nomic-embed-text),
-- priced at a deliberate zero because a self-hosted server costs nothing per token (an admin sets a price to charge).
insert into models (id, provider, upstream_model, context_window, max_output_tokens, capabilities, aliases, tiers, created_at)
values ('sim-embed-1', 'simulated', 'sim-embed-1', 8191, 1536, '{embeddings}', '{}', '{}', '2025-01-01T00:00:00Z'),
       ('text-embedding-3-small', 'openai', 'text-embedding-3-small', 8191, 1536, '{embeddings}', '{}', '{}', '2025-01-01T00:00:00Z'),
       ('text-embedding-3-large', 'openai', 'text-embedding-3-large', 8191, 3072, '{embeddings}', '{}', '{}', '2025-01-01T00:00:00Z'),
       ('text-embedding-004', 'gemini', 'text-embedding-004', 2048, 768, '{embeddings}', '{}', '{}', '2025-01-01T00:00:00Z'),
       ('gemini-embedding-001', 'gemini', 'gemini-embedding-001', 2048, 3072, '{embeddings}', '{}', '{}', '2025-01-01T00:00:00Z'),
       ('nomic-embed-text', 'openai-compatible', 'nomic-embed-text', 8192, 768, '{embeddings}', '{}', '{}', '2025-01-01T00:00:00Z');

-- sim-embed-1 $0.01, text-embedding-3-small $0.02, text-embedding-3-large $0.13, text-embedding-004 $0.10 (the
-- Gemini API serves it without charge on its free tier; this is Vertex AI's list price), gemini-embedding-001 $0.15
-- per million input tokens.
insert into model_prices (model_id, effective_from, input_micro_usd_per_mtok, output_micro_usd_per_mtok,
                          cached_input_micro_usd_per_mtok)
values ('sim-embed-1', '2025-01-01T00:00:00Z', 10000, 10000, 10000),
       ('text-embedding-3-small', '2025-01-01T00:00:00Z', 20000, 20000, 20000),
       ('text-embedding-3-large', '2025-01-01T00:00:00Z', 130000, 130000, 130000),
       ('text-embedding-004', '2025-01-01T00:00:00Z', 100000, 100000, 100000),
       ('gemini-embedding-001', '2025-01-01T00:00:00Z', 150000, 150000, 150000),
       ('nomic-embed-text', '2025-01-01T00:00:00Z', 0, 0, 0);
