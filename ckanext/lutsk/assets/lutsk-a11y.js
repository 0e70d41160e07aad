/* Accessible names for controls CKAN's widgets render without text (select2's "remove
   keyword" crosses). The label comes from the page, in the user's language. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="lutsk-remove-label"]');
  var label = meta ? meta.getAttribute("content") : "Remove";
  var dragMeta = document.querySelector('meta[name="lutsk-drag-label"]');
  var dragLabel = dragMeta ? dragMeta.getAttribute("content") : "Drag to reorder";

  function name(root) {
    var links = root.querySelectorAll(".select2-search-choice-close:not([aria-label])");
    for (var i = 0; i < links.length; i++) {
      var choice = links[i].parentNode.textContent.trim();
      links[i].setAttribute("aria-label", choice ? label + ": " + choice : label);
    }
    // The drag handles of CKAN's resource reordering are links with only an icon.
    var handles = root.querySelectorAll("a.handle:not([aria-label])");
    for (var j = 0; j < handles.length; j++) {
      handles[j].setAttribute("aria-label", dragLabel);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    name(document);
    new MutationObserver(function () { name(document); })
      .observe(document.body, { childList: true, subtree: true });
  });
})();
