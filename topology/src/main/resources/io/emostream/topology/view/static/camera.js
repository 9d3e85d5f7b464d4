// One camera (at /?camera=ID): its live frame (updates of this camera only), its latest tracks and charts of its
// windowed statistics, both from the query API, which answers from any instance.
"use strict";

if (new URLSearchParams(location.search).has("camera")) (() => {
  const cameraId = new URLSearchParams(location.search).get("camera");
  document.getElementById("grid").hidden = true;
  document.getElementById("camera").hidden = false;
  document.getElementById("all").hidden = false;
  const api = "/api/cameras/" + encodeURIComponent(cameraId);
  const opacity = document.getElementById("opacity");
  document.getElementById("title").textContent = cameraId;
  document.title = "emostream " + cameraId;
  let latest = null, updates = 0;
  // the charts by name, for whoever wants to read their data (the browser test does)
  window.emoCharts = {};

  function show(update) {
    emo.draw(document.getElementById("frame"), update, Number(opacity.value));
    const counts = Object.entries(update.counts).map(([label, n]) => `${label} ${n}`).join(", ") || "no objects";
    const lines = update.lines.map(l => `${l.id} in ${l.in} out ${l.out}`).join(", ");
    document.getElementById("counts").textContent = `#${update.sequence}: ${counts}` + (lines ? ` | ${lines}` : "");
    emo.legend(document.getElementById("legend"), update);
    emo.warnUntrained([update]);
  }

  emo.events("?camera=" + encodeURIComponent(cameraId), update => {
    latest = update;
    updates++;
    document.body.dataset.updates = String(updates);
    document.getElementById("status").textContent = `${updates} updates`;
    show(update);
  });
  opacity.addEventListener("input", () => latest && show(latest));

  // One chart: x = window start (s), one series per name, each window's value for it (null where absent).
  function chart(key, title, windows, seriesOf) {
    const names = [...new Set(windows.flatMap(w => Object.keys(seriesOf(w))))].sort();
    const xs = windows.map(w => Date.parse(w.windowStart) / 1000);
    const data = [xs, ...names.map(n => windows.map(w => seriesOf(w)[n] ?? null))];
    const colours = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324"];
    const opts = {
      title, width: 440, height: 220,
      series: [{}, ...names.map((n, i) => ({ label: n, stroke: colours[i % colours.length], width: 2 }))],
    };
    const old = window.emoCharts[key];
    if (old && old.series.length === opts.series.length
        && old.series.every((s, i) => i === 0 || s.label === names[i - 1])) {
      old.setData(data);
      return;
    }
    let box = document.getElementById("chart-" + key);
    if (!box) {
      box = document.createElement("div");
      box.className = "chart";
      box.id = "chart-" + key;
      document.getElementById("charts").append(box);
    }
    if (old) old.destroy();
    window.emoCharts[key] = new uPlot(opts, data, box);
  }

  const sum = (list, f) => list.reduce((a, x) => a + f(x), 0);

  async function refresh() {
    try {
      const stats = await fetch(api + "/stats");
      if (stats.ok) {
        const windows = (await stats.json()).windows;
        chart("objects", "objects per frame, by class", windows,
          w => Object.fromEntries(w.classes.map(c => [c.label, c.meanPerFrame])));
        chart("crossings", "line crossings", windows,
          w => ({ in: sum(w.lines, l => l.in), out: sum(w.lines, l => l.out) }));
        chart("occupancy", "objects in zones (mean)", windows,
          w => Object.fromEntries(w.zones.map(z => [z.zoneId, z.meanObjects])));
        chart("fractions", "segmentation class shares", windows,
          w => Object.fromEntries(w.segmentation.slice(0, 6).map(s => [s.label, s.meanFraction])));
      }
      const detail = await fetch(api);
      if (detail.ok) {
        const rows = (await detail.json()).tracks || [];
        document.querySelector("#tracks tbody").replaceChildren(...rows.map(t => {
          const tr = document.createElement("tr");
          for (const v of [t.trackId, t.label, t.score.toFixed(2), (t.ageMs / 1000).toFixed(1), t.hits]) {
            const td = document.createElement("td");
            td.textContent = v;
            tr.append(td);
          }
          return tr;
        }));
      }
    } finally {
      setTimeout(refresh, 2000);
    }
  }
  refresh();
})();
