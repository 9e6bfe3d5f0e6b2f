// The /docs initializer (the one shipped with swagger-ui-dist loads the petstore from the internet).
// The contract comes from this server; "Try it out" calls this server, whatever openapi.yaml's servers say.
"use strict";

function thisServerFirst(system) {
  const spec = system.specSelectors.specJson().toJS();
  const here = { url: window.location.origin, description: "this server" };
  const others = (spec.servers || []).filter((s) => s.url !== here.url);
  system.specActions.updateJsonSpec({ ...spec, servers: [here, ...others] });
  system.oas3Actions.setSelectedServer(here.url);
}

// Swagger UI leaves its server list and request body editors without a label (axe: select-name, label);
// name them whenever they are drawn.
const UNLABELLED = [["#servers", "Server"], ["textarea.body-param__text", "Request body"]];

function labelControls() {
  for (const [selector, name] of UNLABELLED) {
    for (const node of document.querySelectorAll(selector)) {
      if (!node.hasAttribute("aria-label")) node.setAttribute("aria-label", name);
    }
  }
  // A long example scrolls: keyboard users reach it (axe: scrollable-region-focusable).
  for (const pre of document.querySelectorAll("pre.microlight:not([tabindex])")) pre.setAttribute("tabindex", "0");
}

window.addEventListener("DOMContentLoaded", () => {
  new MutationObserver(labelControls).observe(document.body, { childList: true, subtree: true });
  window.ui = window.SwaggerUIBundle({
    url: "/openapi.yaml",
    dom_id: "#swagger-ui",
    deepLinking: false, // its links inside the summary buttons are nested controls (axe: nested-interactive)
    validatorUrl: null, // never ask an outside validator about this spec
    tryItOutEnabled: false,
    // Plain examples: the highlighter's colours fail contrast on its dark background (axe: color-contrast).
    syntaxHighlight: { activated: false },
    persistAuthorization: false, // the key stays in memory, never in localStorage
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    onComplete: () => thisServerFirst(window.ui),
  });
});
