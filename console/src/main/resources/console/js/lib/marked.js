// Markdown renderer (WebJar org.webjars.npm:marked; the version is written in at build time).
export { Marked } from '/webjars/marked/@marked.version@/lib/marked.esm.js';
