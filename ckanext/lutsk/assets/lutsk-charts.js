/* On-time share charts (Chart.js, served by the portal itself: no CDN, works offline).
   A <canvas data-lutsk-chart='[{"label": …, "value": 0-100}, …]'> becomes a horizontal
   bar chart; the same figures are in the table next to it for screen readers. */
(function () {
  "use strict";
  function colour(value) {
    return value >= 90 ? "#1e7e34" : value >= 60 ? "#b8860b" : "#b02a37";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var canvases = document.querySelectorAll("canvas[data-lutsk-chart]");
    for (var i = 0; i < canvases.length; i++) {
      var canvas = canvases[i];
      var rows = JSON.parse(canvas.getAttribute("data-lutsk-chart"));
      canvas.parentNode.style.height = Math.max(160, 28 * rows.length + 60) + "px";
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: rows.map(function (r) { return r.label; }),
          datasets: [{
            label: canvas.getAttribute("data-lutsk-label") || "%",
            data: rows.map(function (r) { return r.value; }),
            backgroundColor: rows.map(function (r) { return colour(r.value); })
          }]
        },
        options: {
          indexAxis: "y",
          maintainAspectRatio: false,
          animation: false,
          scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } } },
          plugins: { legend: { display: false } }
        }
      });
    }
  });
})();
