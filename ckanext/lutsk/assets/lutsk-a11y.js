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
    // select2 4.1 (CKAN 2.12): the combobox it draws over a field has no name of its own;
    // it takes the label of the field it replaces.
    var boxes = root.querySelectorAll(
      ".select2-container .select2-selection[role=combobox]:not([aria-label]):not([aria-labelledby])," +
      ".select2-container .select2-search__field:not([aria-label])");
    for (var j = 0; j < boxes.length; j++) {
      var container = boxes[j].closest(".select2-container");
      var field = container && container.previousElementSibling;
      var text = field && field.id && root.querySelector('label[for="' + field.id + '"]');
      if (text && text.textContent.trim()) {
        boxes[j].setAttribute("aria-label", text.textContent.replace(/\s+/g, " ").trim());
      }
    }
    // The drag handles of CKAN's resource reordering are links with only an icon.
    var handles = root.querySelectorAll("a.handle:not([aria-label])");
    for (var k = 0; k < handles.length; k++) {
      handles[k].setAttribute("aria-label", dragLabel);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    name(document);
    new MutationObserver(function () { name(document); })
      .observe(document.body, { childList: true, subtree: true });
  });
})();
