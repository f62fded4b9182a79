// Swagger UI on the platform's document; "Authorize" takes an API key (sk-cp-...) and "Try it out" calls this gateway.
window.ui = SwaggerUIBundle({
  url: '/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: false,
  tryItOutEnabled: false,
});
