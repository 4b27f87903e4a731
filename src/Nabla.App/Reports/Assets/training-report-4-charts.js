/*
 * A line chart over epochs: axes with ticks, one polyline.series[data-series] per series with one point per epoch that
 * has a finite value (the count is also in data-count), a legend, and mark(epoch) that moves the dashed
 * line.epoch-marker and a dot on every series to that epoch. With opts.best, a line.best-epoch[data-epoch] marks the
 * epoch the saved model keeps.
 */
// ---- line charts ------------------------------------------------------------------
function createChart(svg, legend, opts) {
  const W = 580, H = 250, box = { l: 54, r: W - 14, t: 12, b: H - 38 };
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const series = opts.series.filter(s => s.values.length > 0);
  const all = series.flatMap(s => s.values.map(p => p[1])).filter(isFinite);
  let lo = opts.yMin !== undefined ? opts.yMin : Math.min(0, ...all);
  let hi = opts.yMax !== undefined ? opts.yMax : (all.length ? Math.max(...all) : 1);
  if (!(hi > lo)) hi = lo + 1;
  const yStep = opts.percent ? 0.25 : niceStep(lo, hi, 5);
  lo = Math.floor(lo / yStep + 1e-9) * yStep;
  hi = Math.ceil(hi / yStep - 1e-9) * yStep;
  let [x0, x1] = opts.xDomain;
  if (!(x1 > x0)) { x0 -= 0.5; x1 += 0.5; }
  const x = linear(x0, x1, box.l, box.r), y = linear(lo, hi, box.b, box.t);
  const xStep = Math.max(1, niceStep(x0, x1, 8));
  axes(svg, box, x, y, ticks(x0, x1, xStep).filter(Number.isInteger), ticks(lo, hi, yStep),
    t => String(t), opts.percent ? (t => (t * 100).toFixed(0) + '%') : fmt, 'epoch', opts.yLabel);

  const lookups = [];
  series.forEach((s, n) => {
    const points = s.values.filter(p => isFinite(p[1]));
    el('polyline', { class: `series s${n + 1}`, 'data-series': s.name, 'data-count': points.length,
      points: points.map(p => x(p[0]).toFixed(2) + ',' + y(p[1]).toFixed(2)).join(' ') }, svg);
    lookups.push(new Map(points));
    const item = document.createElement('span');
    const swatch = document.createElement('i');
    swatch.className = 'swatch';
    swatch.style.background = `var(--series-${n + 1})`;
    item.append(swatch, s.label);
    legend.appendChild(item);
  });
  if (opts.best !== null && opts.best !== undefined) {
    // The epoch whose weights the saved model keeps (early stopping), marked on every chart.
    const bx = x(opts.best).toFixed(2);
    el('line', { class: 'best-epoch', 'data-epoch': opts.best, x1: bx, x2: bx, y1: box.t, y2: box.b }, svg);
    text(+bx + 4, box.t + 11, `best epoch ${opts.best}`, { class: 'best-label' }, svg);
    const item = document.createElement('span'), swatch = document.createElement('i');
    swatch.className = 'swatch best';
    item.append(swatch, `best epoch ${opts.best}`);
    legend.appendChild(item);
  }
  const marker = el('line', { class: 'epoch-marker', y1: box.t, y2: box.b, x1: box.l, x2: box.l }, svg);
  const dots = series.map((s, n) => el('circle', { class: `marker-dot s${n + 1}`, r: 4, cx: -10, cy: -10 }, svg));
  const readout = document.createElement('span');
  readout.className = 'readout';
  legend.appendChild(readout);

  function mark(epoch) {
    const px = x(epoch).toFixed(2);
    marker.setAttribute('x1', px);
    marker.setAttribute('x2', px);
    marker.setAttribute('data-epoch', epoch);
    const parts = [];
    dots.forEach((dot, n) => {
      const v = lookups[n].get(epoch);
      dot.setAttribute('visibility', v === undefined ? 'hidden' : 'visible');
      if (v !== undefined) {
        dot.setAttribute('cx', px);
        dot.setAttribute('cy', y(v).toFixed(2));
        parts.push(`${series[n].label} ${opts.percent ? percent(v) : fmt(v)}`);
      }
    });
    readout.textContent = parts.length ? `epoch ${epoch}: ${parts.join(' · ')}` : '';
  }
  return { mark: mark };
}
