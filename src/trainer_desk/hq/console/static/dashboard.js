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

  // A unit's name is wrapped onto as many lines as the chart's width needs, each bar given the height of its
  // lines: drawn on one line, a long name ran off the canvas's left edge on a phone ("North Neighbourhood
  // Policing" showed as "Neighbourhood Policing"), and a skipped label left a bar unnamed.
  var perUnit = document.getElementById("per-unit");
  var figure = perUnit.parentElement;
  var names = data.units.map(function (u) { return u.unit; });
  function wrapped(name, width) {
    var room = Math.max(10, Math.floor(width * 0.4 / 8)); // characters a line: the names take at most 2/5 of it
    var lines = [];
    name.split(/\s+/).forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= room) { lines[last] += " " + word; } else { lines.push(word); }
    });
    return lines;
  }
  function heightFor(width) {
    var lines = names.reduce(function (sum, name) { return sum + Math.max(2, wrapped(name, width).length); }, 0);
    return Math.ceil(90 + lines * 20);
  }
  figure.style.height = heightFor(figure.clientWidth) + "px";
  new Chart(perUnit, {
    type: "bar",
    data: {
      labels: names,
      datasets: [{ label: "Share complete (%)", data: data.units.map(function (u) { return u.percent; }), backgroundColor: done }]
    },
    options: {
      indexAxis: "y",
      maintainAspectRatio: false,
      onResize: function (chart, size) {
        var needed = heightFor(size.width);
        if (Math.abs(figure.clientHeight - needed) > 1) { figure.style.height = needed + "px"; }
      },
      scales: {
        x: { min: 0, max: 100 },
        y: { ticks: { autoSkip: false, callback: function (value) { return wrapped(this.getLabelForValue(value), this.chart.width); } } }
      }
    }
  });
}());
