// The /docs initializer (the one shipped with swagger-ui-dist loads the petstore from the internet).
// The contract comes from this server; "Try it out" calls this server, whatever openapi.yaml's servers say.
"use strict";

function thisServerFirst(system) {
  const spec = system.specSelectors.specJson().toJS();
  const here = { url: window.location.origin, description: "this server" };
  const others = (spec.servers || []).filter((s) => s.url !== here.url);
  system.specActions.updateJsonSpec({ ...spec, servers: [here, ...others] });
}

window.addEventListener("DOMContentLoaded", () => {
  window.ui = window.SwaggerUIBundle({
    url: "/openapi.yaml",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // never ask an outside validator about this spec
    tryItOutEnabled: false,
    persistAuthorization: false, // the key stays in memory, never in localStorage
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    onComplete: () => thisServerFirst(window.ui),
  });
});
