/* Accessible names for controls CKAN's widgets render without text (select2's "remove
   keyword" crosses). The label comes from the page, in the user's language. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="lutsk-remove-label"]');
  var label = meta ? meta.getAttribute("content") : "Remove";
  var dragMeta = document.querySelector('meta[name="lutsk-drag-label"]');
  var dragLabel = dragMeta ? dragMeta.getAttribute("content") : "Drag to reorder";
  function metaText(name, fallback) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute("content") : fallback;
  }
  var previousLabel = metaText("lutsk-previous-label", "Previous page");
  var nextLabel = metaText("lutsk-next-label", "Next page");

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
    // CKAN 2.12's pager draws «previous» and «next» as links with only a chevron icon.
    var pages = root.querySelectorAll(".pagination a.page-link:not([aria-label])");
    for (var p = 0; p < pages.length; p++) {
      if (pages[p].textContent.trim()) { continue; }
      if (pages[p].querySelector(".fa-chevron-left")) { pages[p].setAttribute("aria-label", previousLabel); }
      if (pages[p].querySelector(".fa-chevron-right")) { pages[p].setAttribute("aria-label", nextLabel); }
    }
    // An icon named by aria-label (ckanext-harvest's source form) is an image: ARIA allows
    // a name on an element with a role, not on a bare <i>.
    var icons = root.querySelectorAll("i[aria-label]:not([role]), span.fa[aria-label]:not([role])");
    for (var q = 0; q < icons.length; q++) {
      icons[q].setAttribute("role", "img");
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
