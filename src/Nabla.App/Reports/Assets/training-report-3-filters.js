/*
 * The convolution layers as small images instead of weight lines: per layer one svg.filters[data-layer] holding a
 * g.filter[data-out] per output channel (up to 32), each a column of kernels, one per input channel (up to 4), drawn as
 * rect.tap[data-in][data-row][data-col] squares whose colour is the weight's sign and whose strength is |w| over the
 * layer's largest |w| across the snapshots. show(k) repaints snapshot k.
 */
// ---- convolution filters ----------------------------------------------------------
function createFilters(div, run) {
  const first = run.snapshots.find(s => s.filters && s.filters.length);
  if (!div || !first) return null;
  const MAX_OUT = 32, MAX_IN = 4, CELL = 7, GAP = 5;
  const layers = first.filters.map((f, j) => {
    const [outs, ins, kh, kw] = f.shape, no = Math.min(outs, MAX_OUT), ni = Math.min(ins, MAX_IN);
    const figure = document.createElement('figure');
    figure.className = 'filter-layer';
    div.appendChild(figure);
    const caption = document.createElement('figcaption');
    caption.textContent = `layer ${f.name}: ${outs} filter${outs === 1 ? '' : 's'} of ${ins}×${kh}×${kw}` +
      (no < outs || ni < ins ? ` (the first ${no} filters × ${ni} input channels drawn)` : '');
    figure.appendChild(caption);
    const w = no * (kw * CELL + GAP) + GAP, h = ni * (kh * CELL + GAP) + GAP;
    const svg = el('svg', { class: 'filters', 'data-layer': f.name, viewBox: `0 0 ${w} ${h}`, width: w * 1.5, height: h * 1.5,
      role: 'img', 'aria-label': `The filters of convolution layer ${f.name}` }, figure);
    const taps = [];
    for (let o = 0; o < no; o++) {
      const g = el('g', { class: 'filter', 'data-out': o }, svg);
      el('title', {}, g).textContent = `filter ${o + 1} of layer ${f.name}`;
      for (let i = 0; i < ni; i++)
        for (let r = 0; r < kh; r++)
          for (let c = 0; c < kw; c++)
            taps.push([((o * ins + i) * kh + r) * kw + c, el('rect', { class: 'tap', 'data-in': i, 'data-row': r, 'data-col': c,
              x: GAP + o * (kw * CELL + GAP) + c * CELL, y: GAP + i * (kh * CELL + GAP) + r * CELL, width: CELL, height: CELL }, g)]);
    }
    let max = 0;
    for (const s of run.snapshots) if (s.filters) for (const v of s.filters[j].weight) { const a = Math.abs(num(v)); if (isFinite(a) && a > max) max = a; }
    return { taps: taps, max: max || 1 };
  });
  function show(k) {
    const filters = run.snapshots[k].filters;
    if (!filters) return;
    layers.forEach((layer, j) => layer.taps.forEach(([index, rect]) => {
      const v = num(filters[j].weight[index]);
      rect.setAttribute('data-value', String(v));
      rect.setAttribute('fill', isFinite(v) ? mix(WHITE, v >= 0 ? POS : NEG, Math.min(1, Math.abs(v) / layer.max)) : GREY);
    }));
  }
  return { show: show };
}
