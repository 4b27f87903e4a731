/*
 * The training report's script, plain JavaScript without libraries, in parts joined in file-name order into one
 * strict-mode function scope (ReportAssets.cs). It reads the run from the #run-data JSON block and draws into the page's
 * empty SVG elements; when it has drawn everything it sets data-ready="true" on the <html> element.
 * This part: the helpers the others share (SVG elements, number formats, colours, scales, axes) and the tooltip.
 */
// ---- common helpers ----------------------------------------------------------------
// The namespace comes from an inline <svg> of the page, so the script names no URL.
const NS = document.querySelector('svg').namespaceURI;
const POS = [37, 99, 235], NEG = [232, 89, 12], WHITE = [255, 255, 255], GREY = '#9ca3af';
const CLASS_COLOURS = ['#e8590c', '#2563eb', '#16a34a', '#9333ea', '#db2777', '#0891b2', '#ca8a04', '#4b5563'];
const VIRIDIS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

function el(tag, attrs, parent) {
  const e = document.createElementNS(NS, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  if (parent) parent.appendChild(e);
  return e;
}
function text(x, y, content, attrs, parent) {
  const t = el('text', Object.assign({ x: x, y: y }, attrs), parent);
  t.textContent = content;
  return t;
}
// Non-finite numbers arrive as the strings "NaN", "Infinity", "-Infinity".
function num(v) { return v === null || v === undefined || v === '' ? NaN : Number(v); }
function fmt(v) {
  v = num(v);
  if (!isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e6)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
}
function rgb(c) { return 'rgb(' + c.join(',') + ')'; }
function percent(v) { return (100 * v).toFixed(1) + ' %'; }
function linear(d0, d1, r0, r1) {
  const k = (r1 - r0) / ((d1 - d0) || 1);
  return v => r0 + (v - d0) * k;
}
function niceStep(lo, hi, count) {
  const raw = (hi - lo) / Math.max(1, count);
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const r = raw / mag;
  return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
}
function ticks(lo, hi, step) {
  const out = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}
function hex(c) { return [1, 3, 5].map(i => parseInt(c.slice(i, i + 2), 16)); }
function mix(a, b, t) {
  t = Math.max(0, Math.min(1, t));
  return 'rgb(' + a.map((x, i) => Math.round(x + (b[i] - x) * t)).join(',') + ')';
}
function sequentialRgb(t) {
  t = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(t)), a = hex(VIRIDIS[i]), b = hex(VIRIDIS[i + 1]);
  return a.map((x, j) => Math.round(x + (b[j] - x) * (t - i)));
}
function sequential(t) { return isFinite(t) ? rgb(sequentialRgb(t)) : GREY; }
function axes(svg, box, xScale, yScale, xTicks, yTicks, xFormat, yFormat, xLabel, yLabel) {
  const g = el('g', { class: 'axis' }, svg);
  for (const t of yTicks) {
    const y = yScale(t);
    el('line', { class: 'gridline', x1: box.l, x2: box.r, y1: y, y2: y }, g);
    text(box.l - 6, y + 3.5, yFormat(t), { 'text-anchor': 'end' }, g);
  }
  for (const t of xTicks) {
    const x = xScale(t);
    el('line', { x1: x, x2: x, y1: box.b, y2: box.b + 4 }, g);
    text(x, box.b + 16, xFormat(t), { 'text-anchor': 'middle' }, g);
  }
  el('path', { d: `M${box.l},${box.t}V${box.b}H${box.r}`, fill: 'none' }, g);
  text((box.l + box.r) / 2, box.b + 31, xLabel, { 'text-anchor': 'middle' }, g);
  text(0, 0, yLabel, { 'text-anchor': 'middle', transform: `translate(12,${(box.t + box.b) / 2}) rotate(-90)` }, g);
  return g;
}

// ---- tooltip ----------------------------------------------------------------------
const tip = document.getElementById('tooltip');
function showTip(evt, title, rows) {
  tip.replaceChildren();
  const head = document.createElement('div');
  head.className = 'tt-title';
  head.textContent = title;
  tip.appendChild(head);
  for (const [k, v] of rows) {
    const row = document.createElement('div');
    row.className = 'tt-row';
    const a = document.createElement('span'), b = document.createElement('span');
    a.textContent = k; b.textContent = v;
    row.append(a, b);
    tip.appendChild(row);
  }
  tip.hidden = false;
  moveTip(evt);
}
function moveTip(evt) {
  const pad = 14, r = tip.getBoundingClientRect();
  let x = evt.clientX + pad, y = evt.clientY + pad;
  if (x + r.width > window.innerWidth - 4) x = evt.clientX - pad - r.width;
  if (y + r.height > window.innerHeight - 4) y = evt.clientY - pad - r.height;
  tip.style.left = x + 'px';
  tip.style.top = y + 'px';
}
function hideTip() { tip.hidden = true; }
