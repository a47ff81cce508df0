// Draws the dashboard's charts from the JSON the page embeds; fetches nothing.
(function () {
  "use strict";
  var node = document.getElementById("measure-data");
  if (!node || typeof Chart === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var labels = JSON.parse(document.getElementById("measure-labels").textContent);
  var text = JSON.parse(document.getElementById("measure-text").textContent);
  // Colour-blind-safe palette (Okabe–Ito); suppressed cells are gaps, never zeros.
  var palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];
  var number = new Intl.NumberFormat(text.lang || undefined);

  function datasets(series) {
    return series.map(function (s, i) {
      return { label: labels[s.key] || s.key, data: s.data, backgroundColor: palette[i % 6],
               borderColor: palette[i % 6], spanGaps: false };
    });
  }
  function draw(id, series, stacked) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: data.periods, datasets: datasets(series) },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: stacked }, y: { stacked: stacked, beginAtZero: true,
                  ticks: { callback: function (v) { return number.format(v); } } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
  }
  draw("chart-reports", data.reports, true);
  draw("chart-losses", data.losses, true);
}());
