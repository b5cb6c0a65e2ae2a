// The dashboard's charts, drawn from the figures the server put in the page (#dashboard-data). The same figures
// are in the page's text and tables: the charts add a picture, never information only they hold.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var ink = "#1b1b1b", done = "#1d6b3a", ahead = "#0b4f8a", goal = "#9b1c1c";
  Chart.defaults.color = ink;
  Chart.defaults.font.size = 14;
  Chart.defaults.animation = false; // figures appear at once, and print as they are

  var trend = data.trend;
  new Chart(document.getElementById("over-time"), {
    type: "line",
    data: {
      labels: trend.labels,
      datasets: [
        { label: "Completed", data: trend.completed, borderColor: done, backgroundColor: done, borderWidth: 3, pointRadius: 2 },
        { label: "At the recent pace", data: trend.projection, borderColor: ahead, backgroundColor: ahead, borderDash: [6, 4], borderWidth: 2, pointRadius: 0 },
        { label: "Everyone who must complete it", data: trend.months.map(function () { return trend.people; }), borderColor: goal, backgroundColor: goal, borderWidth: 1, pointRadius: 0 }
      ]
    },
    options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true, title: { display: true, text: "People" } } } }
  });

  new Chart(document.getElementById("per-unit"), {
    type: "bar",
    data: {
      labels: data.units.map(function (u) { return u.unit; }),
      datasets: [{ label: "Share complete (%)", data: data.units.map(function (u) { return u.percent; }), backgroundColor: done }]
    },
    options: { indexAxis: "y", maintainAspectRatio: false, scales: { x: { min: 0, max: 100 } } }
  });
}());
