// HTML sanitiser for rendered Markdown (WebJar org.webjars.npm:dompurify).
export { default } from '/webjars/dompurify/@dompurify.version@/dist/purify.es.mjs';
