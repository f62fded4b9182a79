// Charts (WebJar org.webjars.npm:echarts): loaded only by the pages that draw one.
export * from '/webjars/echarts/@echarts.version@/dist/echarts.esm.min.js';
