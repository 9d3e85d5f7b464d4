// The grid (at /): one tile per camera this instance processes, redrawn at each update; a click opens the
// camera's page (/?camera=ID, camera.js).
"use strict";

if (!new URLSearchParams(location.search).has("camera")) (() => {
  const grid = document.getElementById("grid");
  const opacity = document.getElementById("opacity");
  const tiles = new Map();
  const latest = new Map();
  let updates = 0;

  function tile(cameraId) {
    if (tiles.has(cameraId)) return tiles.get(cameraId);
    const t = document.createElement("div");
    t.className = "tile";
    t.dataset.camera = cameraId;
    t.innerHTML = `<h2></h2><canvas class="frame"></canvas><div class="counts"></div><div class="legend"></div>`;
    t.querySelector("h2").textContent = cameraId;
    t.addEventListener("click", () => { location.href = "/?camera=" + encodeURIComponent(cameraId); });
    const after = [...tiles.keys()].filter(id => id > cameraId).sort()[0];
    grid.insertBefore(t, after ? tiles.get(after) : null);
    tiles.set(cameraId, t);
    return t;
  }

  function show(update) {
    const t = tile(update.cameraId);
    emo.draw(t.querySelector("canvas"), update, Number(opacity.value), () => {
      // what the canvas shows now, for whoever checks it (the browser test compares pixels with the boxes)
      t.dataset.sequence = update.sequence;
      t.dataset.boxes = JSON.stringify(update.boxes);
      t.dataset.drawn = String(Number(t.dataset.drawn || 0) + 1);
    });
    const counts = Object.entries(update.counts).map(([label, n]) => `${label} ${n}`).join(", ") || "no objects";
    const zones = update.zones.map(z => `${z.id} ${z.objects}`).join(", ");
    t.querySelector(".counts").textContent = `#${update.sequence}: ${counts}` + (zones ? ` | zones: ${zones}` : "");
    emo.legend(t.querySelector(".legend"), update);
  }

  emo.events("", update => {
    updates++;
    document.body.dataset.updates = String(updates);
    latest.set(update.cameraId, update);
    emo.warnUntrained([...latest.values()]);
    show(update);
    document.getElementById("status").textContent = `${tiles.size} cameras, ${updates} updates`;
  }).onerror = () => { document.getElementById("status").textContent = "disconnected: retrying..."; };

  opacity.addEventListener("input", () => latest.forEach(show));
})();
