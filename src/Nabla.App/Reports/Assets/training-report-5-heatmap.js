/*
 * The model's output over the input plane: one rect.cell[data-row][data-col][data-value] per grid sample, centred on
 * it, coloured by p(class 1) (binary), the class (more classes) or the value (regression, viridis over the range of all
 * grids and targets); for a binary classifier the 0.5 level as path.boundary; the data points as circle.point on top.
 * With three or more classes and recorded probabilities, a smooth image.smooth (the class colours weighted by
 * probability) covers the cells and path.boundary traces every boundary between classes by marching squares. show(k)
 * redraws snapshot k's grid.
 */
// ---- heat map ---------------------------------------------------------------------
function createHeatMap(svg, legend, run) {
  const W = 460, H = 430, box = { l: 52, r: W - 12, t: 10, b: H - 40 };
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const grids = run.snapshots.map(s => s.grid);
  const first = grids.find(g => g);
  const pts = run.points ? run.points.x.map((p, i) => [num(p[0]), num(p[1]), num(run.points.y[i])]) : [];
  const binary = run.task === 'classification' && run.classes === 2;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const g of grids.filter(g => g)) {
    const dx = (g.xMax - g.xMin) / (g.nx - 1) / 2, dy = (g.yMax - g.yMin) / (g.ny - 1) / 2;
    x0 = Math.min(x0, g.xMin - dx); x1 = Math.max(x1, g.xMax + dx); y0 = Math.min(y0, g.yMin - dy); y1 = Math.max(y1, g.yMax + dy);
  }
  if (!first) {
    for (const p of pts) { x0 = Math.min(x0, p[0]); x1 = Math.max(x1, p[0]); y0 = Math.min(y0, p[1]); y1 = Math.max(y1, p[1]); }
    const px = (x1 - x0) * 0.05 || 1, py = (y1 - y0) * 0.05 || 1;
    x0 -= px; x1 += px; y0 -= py; y1 += py;
  }
  const X = linear(x0, x1, box.l, box.r), Y = linear(y0, y1, box.b, box.t);

  let lo = Infinity, hi = -Infinity;
  if (run.task === 'regression') {
    for (const g of grids.filter(g => g)) for (const v of g.values) { const n = num(v); if (isFinite(n)) { lo = Math.min(lo, n); hi = Math.max(hi, n); } }
    for (const p of pts) if (isFinite(p[2])) { lo = Math.min(lo, p[2]); hi = Math.max(hi, p[2]); }
    if (!(hi > lo)) { lo = isFinite(lo) ? lo - 0.5 : 0; hi = lo + 1; }
  }
  const classColour = c => CLASS_COLOURS[Math.round(c) % CLASS_COLOURS.length];
  function cellColour(v) {
    if (!isFinite(v)) return GREY;
    if (binary) { const t = (Math.max(0, Math.min(1, v)) - 0.5) * 2; return mix(WHITE, t >= 0 ? POS : NEG, Math.abs(t) * 0.5); }
    if (run.task === 'classification') return mix(WHITE, hex(classColour(Math.max(0, v))), 0.42);
    return mix(WHITE, sequentialRgb((v - lo) / (hi - lo)), 0.85);
  }

  el('rect', { x: box.l, y: box.t, width: box.r - box.l, height: box.b - box.t, fill: '#f1f3f6' }, svg);
  const cellsG = el('g', { class: 'cells' }, svg);
  // Three or more classes with recorded probabilities: a smooth picture (the browser interpolates the grid) over the cells.
  const smooth = el('image', { class: 'smooth', preserveAspectRatio: 'none', visibility: 'hidden' }, svg);
  const boundary = el('path', { class: 'boundary', d: '' }, svg);
  const missing = text((box.l + box.r) / 2, (box.t + box.b) / 2, 'no grid recorded for this epoch', { 'text-anchor': 'middle', visibility: 'hidden' }, svg);
  el('rect', { class: 'frame', x: box.l, y: box.t, width: box.r - box.l, height: box.b - box.t }, svg);
  const xs = niceStep(x0, x1, 6), ys = niceStep(y0, y1, 6);
  // Drawn under the cells: the tick labels sit outside the plot, the grid lines are covered where there is a grid.
  svg.insertBefore(axes(svg, box, X, Y, ticks(x0, x1, xs), ticks(y0, y1, ys), fmt, fmt, run.settings.inputs[0], run.settings.inputs[1]), cellsG);
  const pointsG = el('g', { class: 'points' }, svg);
  for (const [px, py, label] of pts) {
    if (!(px >= x0 && px <= x1 && py >= y0 && py <= y1)) continue;
    const fill = run.task === 'classification' ? classColour(label) : sequential((label - lo) / (hi - lo));
    el('circle', { class: 'point', cx: X(px).toFixed(2), cy: Y(py).toFixed(2), r: 3.6, fill: fill,
      'data-x': px, 'data-y': py, 'data-target': label }, pointsG);
  }
  pointsG.addEventListener('mouseover', e => {
    const d = e.target.dataset;
    if (!e.target.classList.contains('point')) return;
    showTip(e, run.task === 'classification' ? `class ${d.target}` : `target ${fmt(d.target)}`,
      [[run.settings.inputs[0], fmt(d.x)], [run.settings.inputs[1], fmt(d.y)]]);
  });
  pointsG.addEventListener('mousemove', e => { if (!tip.hidden) moveTip(e); });
  pointsG.addEventListener('mouseout', hideTip);

  if (run.task === 'classification') {
    for (let c = 0; c < run.classes; c++) {
      const item = document.createElement('span'), dot = document.createElement('i');
      dot.className = 'swatch dot';
      dot.style.background = classColour(c);
      item.append(dot, `class ${c}`);
      legend.appendChild(item);
    }
    const note = document.createElement('span');
    const smoothAny = grids.some(g => hasProbabilities(g));
    note.textContent = binary ? 'shade = p(class 1) · line = 0.5'
      : smoothAny ? 'shade = class probabilities · lines = decision boundaries' : 'shade = predicted class';
    legend.appendChild(note);
  } else {
    const item = document.createElement('span'), bar = document.createElement('i');
    bar.className = 'colorbar';
    bar.style.background = `linear-gradient(90deg, ${VIRIDIS.join(', ')})`;
    item.append(fmt(lo), bar, fmt(hi));
    legend.appendChild(item);
  }

  let key = null, cells = [];
  function build(g) {
    cellsG.replaceChildren();
    cells = [];
    const dx = (g.xMax - g.xMin) / (g.nx - 1), dy = (g.yMax - g.yMin) / (g.ny - 1);
    const w = X(g.xMin + dx) - X(g.xMin), h = Y(g.yMin) - Y(g.yMin + dy);
    for (let r = 0; r < g.ny; r++)
      for (let c = 0; c < g.nx; c++)
        cells.push(el('rect', { class: 'cell', 'data-row': r, 'data-col': c,
          x: (X(g.xMin + (c - 0.5) * dx)).toFixed(2), y: (Y(g.yMin + (r + 0.5) * dy)).toFixed(2),
          width: (w + 0.5).toFixed(2), height: (h + 0.5).toFixed(2) }, cellsG));
  }
  function hasProbabilities(g) {
    return !!g && run.task === 'classification' && run.classes > 2 && Array.isArray(g.probabilities)
      && g.probabilities.length === g.nx * g.ny * run.classes;
  }
  function drawSmooth(g) {
    const K = run.classes, P = g.probabilities, canvas = document.createElement('canvas');
    canvas.width = g.nx;
    canvas.height = g.ny;
    const ctx = canvas.getContext('2d'), image = ctx.createImageData(g.nx, g.ny), colours = CLASS_COLOURS.map(hex);
    for (let r = 0; r < g.ny; r++)
      for (let c = 0; c < g.nx; c++) {
        const base = (r * g.nx + c) * K, rgbSum = [0, 0, 0];
        let top = 0;
        for (let k = 0; k < K; k++) {
          const p = num(P[base + k]), col = colours[k % colours.length];
          top = Math.max(top, p);
          for (let j = 0; j < 3; j++) rgbSum[j] += p * col[j];
        }
        // Paler where the model hesitates between classes.
        const t = 0.2 + 0.4 * top, at = 4 * ((g.ny - 1 - r) * g.nx + c);
        for (let j = 0; j < 3; j++) image.data[at + j] = Math.round(255 + (rgbSum[j] - 255) * t);
        image.data[at + 3] = 255;
      }
    ctx.putImageData(image, 0, 0);
    const dx = (g.xMax - g.xMin) / (g.nx - 1), dy = (g.yMax - g.yMin) / (g.ny - 1);
    const left = X(g.xMin - dx / 2), right = X(g.xMax + dx / 2), upper = Y(g.yMax + dy / 2), lower = Y(g.yMin - dy / 2);
    smooth.setAttribute('href', canvas.toDataURL());
    smooth.setAttribute('x', left.toFixed(2));
    smooth.setAttribute('y', upper.toFixed(2));
    smooth.setAttribute('width', (right - left).toFixed(2));
    smooth.setAttribute('height', (lower - upper).toFixed(2));
  }
  // Where class k stops being the most likely: the zero level of p_k − max of the others, for every k.
  function classBoundaries(g) {
    const K = run.classes, P = g.probabilities;
    let d = '';
    for (let k = 0; k < K; k++)
      d += contour(g, 0, (c, r) => {
        const base = (r * g.nx + c) * K;
        let other = -Infinity;
        for (let j = 0; j < K; j++) if (j !== k) other = Math.max(other, num(P[base + j]));
        return num(P[base + k]) - other;
      });
    return d;
  }
  function contour(g, level, at) {
    const v = at || ((c, r) => num(g.values[r * g.nx + c]));
    const dx = (g.xMax - g.xMin) / (g.nx - 1), dy = (g.yMax - g.yMin) / (g.ny - 1);
    let d = '';
    for (let r = 0; r < g.ny - 1; r++)
      for (let c = 0; c < g.nx - 1; c++) {
        const xa = g.xMin + c * dx, ya = g.yMin + r * dy;
        const corners = [[v(c, r), xa, ya], [v(c + 1, r), xa + dx, ya], [v(c + 1, r + 1), xa + dx, ya + dy], [v(c, r + 1), xa, ya + dy]];
        const cut = [];
        for (let e = 0; e < 4; e++) {
          const [p, px, py] = corners[e], [q, qx, qy] = corners[(e + 1) % 4];
          if (isFinite(p) && isFinite(q) && (p < level) !== (q < level)) {
            const t = (level - p) / (q - p);
            cut.push(X(px + (qx - px) * t).toFixed(1) + ',' + Y(py + (qy - py) * t).toFixed(1));
          }
        }
        for (let i = 0; i + 1 < cut.length; i += 2) d += `M${cut[i]}L${cut[i + 1]}`;
      }
    return d;
  }
  function show(k) {
    const g = grids[k];
    cellsG.setAttribute('visibility', g ? 'visible' : 'hidden');
    boundary.setAttribute('visibility', g ? 'visible' : 'hidden');
    if (!g) smooth.setAttribute('visibility', 'hidden');
    missing.setAttribute('visibility', g || !first ? 'hidden' : 'visible');
    if (!g) return;
    const id = [g.nx, g.ny, g.xMin, g.xMax, g.yMin, g.yMax].join();
    if (id !== key) { build(g); key = id; }
    g.values.forEach((value, i) => {
      const n = num(value);
      cells[i].setAttribute('fill', cellColour(n));
      cells[i].setAttribute('data-value', String(n));
    });
    const probabilities = hasProbabilities(g);
    smooth.setAttribute('visibility', probabilities ? 'visible' : 'hidden');
    if (probabilities) drawSmooth(g);
    boundary.setAttribute('d', binary ? contour(g, 0.5) : probabilities ? classBoundaries(g) : '');
  }
  return { show: show };
}
