/* datatables_view (CKAN's preview of DataStore tables) hands its script the data dictionary
   and the view id in an inline <script>, which the pages' Content-Security-Policy blocks
   (scripts from the portal only): the preview stayed empty. The same two values are read
   here from the table the view renders: each column's name and type (its second header
   row, th.fhead with data-type) and the view id (the end of data-ajaxurl); and the "refit"
   button's inline onclick is bound here. Loaded after the view's own script, before the
   page's modules start (templates/datatables/datatables_view.html). */
(function () {
  "use strict";
  var table = document.getElementById("dtprv");
  if (!table) { return; }
  if (typeof window.gdataDict === "undefined") {
    window.gdataDict = Array.prototype.map.call(table.querySelectorAll("thead th.fhead"), function (th) {
      return { id: th.textContent, type: th.getAttribute("data-type") };
    });
  }
  if (typeof window.gresviewId === "undefined") {
    window.gresviewId = (table.getAttribute("data-ajaxurl") || "").split("/").pop();
  }
  var refit = document.getElementById("refit-button");
  if (refit && typeof window.fitColText === "function") {
    refit.addEventListener("click", function () { window.fitColText(); });
  }
})();
