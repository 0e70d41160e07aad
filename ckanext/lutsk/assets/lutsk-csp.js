/* What CKAN's resource upload field did in inline onclick handlers (blocked by the pages'
   Content-Security-Policy), from data attributes: data-lutsk-check (a radio/checkbox to
   check), data-lutsk-clear (a field to empty), data-lutsk-click (an element to click),
   data-lutsk-focus (an element to focus). See templates/package/snippets/resource_upload_field.html. */
(function () {
  "use strict";
  function byId(id) { return id ? document.getElementById(id) : null; }
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-lutsk-check]") : null;
    if (!el) { return; }
    var check = byId(el.getAttribute("data-lutsk-check"));
    if (check) { check.checked = true; }
    var clear = byId(el.getAttribute("data-lutsk-clear"));
    if (clear) { clear.value = ""; }
    var click = byId(el.getAttribute("data-lutsk-click"));
    if (click) { click.click(); }
    var focus = byId(el.getAttribute("data-lutsk-focus"));
    if (focus) { focus.focus(); }
  });
})();
/* CKAN 2.12's API token list: its inline handlers (onchange on each token's tick box,
   hx-on on the form) are blocked by the Content-Security-Policy, so «Revoke tokens»
   stayed disabled. The same from here: the button is enabled while a token is ticked,
   and disabled again once the revocation request is answered. */
(function () {
  "use strict";
  function sync() {
    var button = document.getElementById("revoke-tokens-button");
    if (button) {
      button.disabled = !document.querySelector("input[name=token]:checked");
    }
  }
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "token") { sync(); }
  });
  document.addEventListener("htmx:afterRequest", function () { sync(); });
  document.addEventListener("htmx:afterSettle", function () { sync(); });
})();
