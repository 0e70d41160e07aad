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
