-- Input modalities are capability tags: 'vision' (image parts), 'files' (file parts: PDFs and other documents),
-- 'audio' (input_audio parts); text is always taken. /v1/models shows them as input_modalities, and a request with a
-- part the model does not take is refused (400 unsupported_content) instead of reaching it without that part.
-- sim-1 reads images and files (the simulated answer depends on them); sim-1-mini stays text-only.
update models set capabilities = capabilities || '{vision,files}'
 where id = 'sim-1' and not capabilities @> '{vision}';
update models set capabilities = capabilities || '{files}'
 where id in ('gpt-4o-mini', 'gpt-4o', 'gpt-4.1-mini', 'gemini-2.5-flash', 'gemini-2.5-flash-lite')
   and not capabilities @> '{files}';
update models set capabilities = capabilities || '{audio}'
 where id in ('gemini-2.5-flash', 'gemini-2.5-flash-lite') and not capabilities @> '{audio}';
