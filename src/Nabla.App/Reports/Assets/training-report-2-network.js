/*
 * The network diagram: one circle.neuron[data-layer][data-index] per neuron (inputs included) and one
 * line.weight[data-layer][data-from][data-to] per weight, where data-layer l is the weight matrix from layer l to l + 1
 * and the line carries weight[to][from] (for a wide layer only the weights the view keeps, see ReportView). Input and
 * output names sit beside their neurons in room sized to fit them. show(k) sets every line's data-value, data-grad,
 * stroke (sign) and width (|w| over the largest |w| of all snapshots), and every non-input neuron's bias the same way.
 */
// ---- network diagram --------------------------------------------------------------
function createNetwork(svg, run, view) {
  const sizes = run.settings.layers, L = sizes.length;
  const W = 760, H = 430, top = 14, bottom = 42;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const room = H - top - bottom, stepOf = n => Math.min(64, room / n), step = stepOf(Math.max(...sizes));
  const r = Math.max(0.8, Math.min(13, step * 0.34));
  const name = (l, i) => l === 0 ? run.settings.inputs[i] : l === L - 1 ? run.settings.outputs[i] : `h${l}.${i + 1}`;
  // Room for the names beside the input and output neurons, as wide as the longest written name (up to 26 characters;
  // a longer one ends in … and is shown whole on hover and as its title). Where the neurons are closer than a line of
  // text, every k-th name is written; every neuron names itself on hover.
  const MAX_CHARS = 26, short = s => s.length > MAX_CHARS ? s.slice(0, MAX_CHARS - 1) + '…' : s;
  const gT = el('g', {}, svg);
  const labels = [0, L - 1].map(l => {
    const every = Math.ceil(12 / stepOf(sizes[l])), out = [];
    for (let i = 0; i < sizes[l]; i += every) {
      const t = text(0, 0, short(name(l, i)), { class: 'name', 'text-anchor': l === 0 ? 'end' : 'start', 'data-layer': l, 'data-index': i }, gT);
      if (short(name(l, i)) !== name(l, i)) el('title', {}, t).textContent = name(l, i);
      out.push([t, i]);
    }
    return out;
  });
  const widest = list => Math.max(0, ...list.map(([t]) => t.getComputedTextLength()));
  const padL = Math.max(48, r + 14 + widest(labels[0])), padR = Math.max(48, r + 14 + widest(labels[1]));
  const xs = sizes.map((_, l) => padL + l * (W - padL - padR) / (L - 1));
  const mid = top + (H - top - bottom) / 2;
  const ys = sizes.map(n => Array.from({ length: n }, (_, i) => mid + (i - (n - 1) / 2) * stepOf(n)));
  labels.forEach((list, side) => list.forEach(([t, i]) => {
    const l = side === 0 ? 0 : L - 1;
    t.setAttribute('x', xs[l] + (side === 0 ? -(r + 8) : r + 8));
    t.setAttribute('y', ys[l][i] + 4);
  }));
  const edges = (view && view.edges) || [];

  const gW = el('g', { class: 'weights' }, svg), gN = el('g', { class: 'neurons' }, svg);
  svg.appendChild(gT);
  const lines = [];
  for (let l = 0; l < L - 1; l++) {
    const matrix = [];
    for (let o = 0; o < sizes[l + 1]; o++) {
      const row = [], from = edges[l] ? edges[l][o] : Array.from({ length: sizes[l] }, (_, i) => i);
      for (const i of from)
        row.push(el('line', { class: 'weight', 'data-layer': l, 'data-from': i, 'data-to': o,
          x1: xs[l], y1: ys[l][i], x2: xs[l + 1], y2: ys[l + 1][o] }, gW));
      matrix.push(row);
    }
    lines.push(matrix);
  }
  const circles = sizes.map((n, l) => Array.from({ length: n }, (_, i) =>
    el('circle', { class: l === 0 ? 'neuron input' : 'neuron', 'data-layer': l, 'data-index': i, 'data-name': name(l, i), cx: xs[l], cy: ys[l][i], r: r }, gN)));
  sizes.forEach((n, l) => {
    const kind = l === 0 ? 'input' : l === L - 1 ? 'output' : `hidden ${l} · ${run.settings.activation}`;
    text(xs[l], H - 12, `${kind} (${n})`, { class: 'caption', 'text-anchor': 'middle' }, gT);
  });
  const reduced = edges.map((e, l) => e ? `layer ${l} → ${l + 1}: the ${e[0].length} strongest of ${sizes[l]} incoming weights per neuron` : null).filter(x => x);
  const note = document.getElementById('network-note');
  const notes = [];
  if (run.settings.architecture) notes.push(`The diagram shows the linear layers of “${run.settings.architecture}”; convolutions are drawn as filters.`);
  if (reduced.length) notes.push(`Wide layers are drawn by their strongest weights (largest |w| at the last snapshot): ${reduced.join('; ')}. The run file keeps every weight.`);
  if (note && notes.length) {
    note.textContent = notes.join(' ');
    note.hidden = false;
  }

  let maxW = 0, maxB = 0;
  for (const snap of run.snapshots)
    for (const layer of snap.layers) {
      for (const row of layer.weight) for (const w of row) { const a = Math.abs(num(w)); if (isFinite(a) && a > maxW) maxW = a; }
      for (const b of layer.bias) { const a = Math.abs(num(b)); if (isFinite(a) && a > maxB) maxB = a; }
    }
  maxW = maxW || 1; maxB = maxB || 1;

  function show(k) {
    run.snapshots[k].layers.forEach((layer, l) => {
      layer.weight.forEach((row, o) => row.forEach((w, j) => {
        const line = lines[l][o][j], v = num(w), t = isFinite(v) ? Math.min(1, Math.abs(v) / maxW) : 0;
        line.setAttribute('data-value', String(v));
        line.setAttribute('data-grad', layer.weightGrad ? String(num(layer.weightGrad[o][j])) : '');
        line.setAttribute('stroke', isFinite(v) ? rgb(v >= 0 ? POS : NEG) : GREY);
        line.setAttribute('stroke-width', (0.35 + 5.4 * t).toFixed(2));
        line.setAttribute('stroke-opacity', (0.3 + 0.65 * t).toFixed(2));
      }));
      layer.bias.forEach((b, o) => {
        const c = circles[l + 1][o], v = num(b);
        c.setAttribute('data-value', String(v));
        c.setAttribute('data-grad', layer.biasGrad ? String(num(layer.biasGrad[o])) : '');
        c.setAttribute('fill', isFinite(v) ? mix(WHITE, v >= 0 ? POS : NEG, 0.08 + 0.8 * Math.min(1, Math.abs(v) / maxB)) : GREY);
      });
    });
  }

  const gradText = g => g === '' || g === undefined ? 'not recorded' : fmt(g);
  function focus(l, i) {
    svg.classList.add('focus');
    if (l < L - 1) lines[l].forEach(row => row.forEach(line => { if (+line.dataset.from === i) line.classList.add('hl'); }));
    if (l > 0) lines[l - 1][i].forEach(line => line.classList.add('hl'));
  }
  function unfocus() {
    svg.classList.remove('focus');
    svg.querySelectorAll('.hl').forEach(x => x.classList.remove('hl'));
  }
  svg.addEventListener('mouseover', e => {
    const t = e.target, d = t.dataset;
    if (t.classList.contains('weight')) {
      const l = +d.layer, i = +d.from, o = +d.to;
      showTip(e, `${name(l, i)} → ${name(l + 1, o)}`, [['weight', fmt(d.value)], ['∂loss/∂w', gradText(d.grad)],
        ['entry', `layers[${l}].weight[${o}][${i}]`]]);
    } else if (t.classList.contains('neuron')) {
      const l = +d.layer, i = +d.index;
      focus(l, i);
      showTip(e, name(l, i), l === 0 ? [['input', `${i + 1} of ${sizes[0]}`]]
        : [['bias', fmt(d.value)], ['∂loss/∂b', gradText(d.grad)], ['entry', `layers[${l - 1}].bias[${i}]`]]);
    }
  });
  svg.addEventListener('mousemove', e => { if (!tip.hidden) moveTip(e); });
  svg.addEventListener('mouseout', e => {
    if (e.target.classList.contains('weight') || e.target.classList.contains('neuron')) { hideTip(); unfocus(); }
  });
  return { show: show };
}
