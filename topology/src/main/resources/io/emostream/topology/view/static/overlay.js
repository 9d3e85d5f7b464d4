// Drawing one live update on a canvas: the frame, the segmentation mask as a coloured overlay, zones, lines and
// boxes. Shared by the grid (live.js) and the camera page (camera.js).
"use strict";

const emo = (() => {
  // The class colour: hue = class index * 137.508 degrees (the golden angle) mod 360, s = 0.75, v = 0.95
  // (docs/ARCHITECTURE.md, "Class colours"); the annotated video uses the same rule.
  function classColour(classId) {
    const h = ((classId * 137.508) % 360 + 360) % 360 / 60, s = 0.75, v = 0.95;
    const c = v * s, x = c * (1 - Math.abs(h % 2 - 1)), m = v - c;
    const [r, g, b] = h < 1 ? [c, x, 0] : h < 2 ? [x, c, 0] : h < 3 ? [0, c, x]
      : h < 4 ? [0, x, c] : h < 5 ? [x, 0, c] : [c, 0, x];
    return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
  }
  const css = (rgb, a = 1) => `rgba(${rgb[0]},${rgb[1]},${rgb[2]},${a})`;

  // The run-length mask expanded into an image of the mask's size, each class in its colour.
  function maskCanvas(mask) {
    const c = document.createElement("canvas");
    c.width = mask.width; c.height = mask.height;
    const ctx = c.getContext("2d"), img = ctx.createImageData(mask.width, mask.height), px = img.data;
    const colours = new Map();
    let i = 0;
    for (let r = 0; r < mask.classIds.length; r++) {
      const id = mask.classIds[r];
      if (!colours.has(id)) colours.set(id, classColour(id));
      const rgb = colours.get(id);
      for (let n = mask.runLengths[r]; n > 0 && i < px.length; n--, i += 4) {
        px[i] = rgb[0]; px[i + 1] = rgb[1]; px[i + 2] = rgb[2]; px[i + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    return c;
  }

  // Draws the update on the canvas once its frame image has loaded; calls done() after.
  function draw(canvas, update, maskOpacity, done) {
    const image = new Image();
    image.onload = () => {
      canvas.width = update.width; canvas.height = update.height;
      const ctx = canvas.getContext("2d"), w = update.width, h = update.height;
      ctx.drawImage(image, 0, 0, w, h);
      if (update.mask && maskOpacity > 0) {
        ctx.globalAlpha = maskOpacity;
        ctx.imageSmoothingEnabled = false;
        ctx.drawImage(maskCanvas(update.mask), 0, 0, w, h);
        ctx.globalAlpha = 1;
      }
      const lineWidth = Math.max(2, Math.round(w / 200));
      ctx.lineWidth = lineWidth;
      ctx.font = `${Math.max(11, Math.round(w / 40))}px sans-serif`;
      for (const z of update.zones) {
        ctx.beginPath();
        z.points.forEach(([x, y], k) => k === 0 ? ctx.moveTo(x * w, y * h) : ctx.lineTo(x * w, y * h));
        ctx.closePath();
        ctx.fillStyle = "rgba(255,255,255,0.12)"; ctx.fill();
        ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.setLineDash([6, 4]); ctx.stroke(); ctx.setLineDash([]);
        label(ctx, `${z.id}: ${z.objects}`, z.points[0][0] * w, z.points[0][1] * h, "rgba(0,0,0,0.6)");
      }
      for (const l of update.lines) {
        const ax = l.a[0] * w, ay = l.a[1] * h, bx = l.b[0] * w, by = l.b[1] * h;
        ctx.strokeStyle = "#ffd400"; ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
        label(ctx, `${l.id} in ${l.in} out ${l.out}`, (ax + bx) / 2, (ay + by) / 2, "rgba(0,0,0,0.6)");
      }
      for (const b of update.boxes) {
        const rgb = classColour(b.classId);
        ctx.strokeStyle = css(rgb);
        ctx.strokeRect(b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1);
        const id = b.trackId === undefined ? "" : ` #${b.trackId}`;
        label(ctx, `${b.label} ${b.score.toFixed(2)}${id}`, b.x1, b.y1, css(rgb, 0.85));
      }
      if (done) done();
    };
    image.src = update.image;
  }

  function label(ctx, text, x, y, background) {
    const m = ctx.measureText(text), hgt = parseInt(ctx.font, 10) + 4;
    const top = Math.max(0, y - hgt);
    ctx.fillStyle = background; ctx.fillRect(x, top, m.width + 6, hgt);
    ctx.fillStyle = "#fff"; ctx.fillText(text, x + 3, top + hgt - 5);
  }

  // The banner saying plainly that the picture comes from untrained models, while any of the updates' does.
  function warnUntrained(updates) {
    const names = new Set(updates.flatMap(u => u.models.filter(m => !m.trained).map(m => `${m.task} model ${m.name}`)));
    document.getElementById("untrained").textContent = names.size === 0 ? ""
      : `UNTRAINED weights (${[...names].join(", ")}): the boxes, tracks, masks and counts are meaningless.`;
  }

  // The legend of the mask's classes (largest first) and of the box classes, each in its colour.
  function legend(element, update) {
    const entries = new Map();
    for (const b of update.boxes) entries.set(`box:${b.classId}`, [b.classId, b.label]);
    if (update.mask) {
      for (const c of update.mask.classes.slice(0, 8)) {
        entries.set(`mask:${c.classId}`, [c.classId, `${c.label} ${(c.fraction * 100).toFixed(0)}%`]);
      }
    }
    element.replaceChildren(...[...entries.values()].map(([id, text]) => {
      const item = document.createElement("span");
      item.className = "legend-item";
      const swatch = document.createElement("i");
      swatch.style.background = css(classColour(id));
      item.append(swatch, text);
      return item;
    }));
  }

  function events(query, onUpdate) {
    const source = new EventSource("/live/events" + query);
    source.addEventListener("update", e => onUpdate(JSON.parse(e.data)));
    return source;
  }

  return { classColour, css, draw, warnUntrained, legend, events };
})();
