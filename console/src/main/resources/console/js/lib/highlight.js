// Code highlighting (WebJar org.webjars:highlightjs). Its build is a classic script that defines the global `hljs`
// (no ES module in the WebJar), so markdown.js adds it as a <script> the first time an answer with code is shown.
export const HIGHLIGHT_JS = '/webjars/highlightjs/@highlightjs.version@/highlight.min.js';
