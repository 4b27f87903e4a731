/*
 * Reads the run, builds the diagram, the charts and the heat map, and wires the slider (one step per snapshot,
 * starting at the last) and the play button (steps through the snapshots, about six seconds for the whole run).
 */
// ---- wiring -----------------------------------------------------------------------
const run = JSON.parse(document.getElementById('run-data').textContent);
const snaps = run.snapshots;
const viewBlock = document.getElementById('report-view');
const network = createNetwork(document.getElementById('network'), run, viewBlock ? JSON.parse(viewBlock.textContent) : null);
const filters = createFilters(document.getElementById('filters'), run);
const best = Number.isInteger(run.bestEpoch) ? run.bestEpoch : null;
showScores(run);
const heatSvg = document.getElementById('heatmap');
const heat = heatSvg ? createHeatMap(heatSvg, document.getElementById('heatmap-legend'), run) : null;

const xDomain = [Math.min(run.epochs[0].epoch, snaps[0].epoch), Math.max(run.epochs[run.epochs.length - 1].epoch, snaps[snaps.length - 1].epoch)];
const column = key => run.epochs.filter(e => e[key] !== null && e[key] !== undefined).map(e => [e.epoch, num(e[key])]);
const charts = [createChart(document.getElementById('loss-chart'), document.getElementById('loss-legend'), {
  xDomain: xDomain, yLabel: `loss (${run.settings.loss})`, best: best,
  series: [{ name: 'loss', label: 'training', values: column('loss') },
           { name: 'validationLoss', label: 'validation', values: column('validationLoss') }] })];
const accuracySvg = document.getElementById('accuracy-chart');
if (accuracySvg)
  charts.push(createChart(accuracySvg, document.getElementById('accuracy-legend'), {
    xDomain: xDomain, yLabel: 'accuracy', yMin: 0, yMax: 1, percent: true, best: best,
    series: [{ name: 'accuracy', label: 'training', values: column('accuracy') },
             { name: 'validationAccuracy', label: 'validation', values: column('validationAccuracy') }] }));

const slider = document.getElementById('epoch-slider');
const label = document.getElementById('epoch-label');
const play = document.getElementById('play');
const byEpoch = new Map(run.epochs.map(e => [e.epoch, e]));
slider.max = String(snaps.length - 1);
slider.disabled = snaps.length < 2;
play.disabled = snaps.length < 2;

function show(k) {
  const epoch = snaps[k].epoch;
  network.show(k);
  if (filters) filters.show(k);
  if (heat) heat.show(k);
  charts.forEach(c => c.mark(epoch));
  slider.value = String(k);
  document.documentElement.dataset.snapshot = String(k);
  const strong = document.createElement('b');
  strong.textContent = epoch === 0 ? 'initial weights' : `epoch ${epoch}${epoch === best ? ' (best)' : ''}`;
  const row = byEpoch.get(epoch);
  const facts = [`snapshot ${k + 1} of ${snaps.length}`];
  if (row) {
    facts.push(`loss ${fmt(row.loss)}`);
    if (row.accuracy !== null && row.accuracy !== undefined) facts.push(`accuracy ${percent(num(row.accuracy))}`);
  }
  label.replaceChildren(strong, ' · ' + facts.join(' · '));
}

let timer = null;
function stop() {
  if (timer !== null) clearTimeout(timer);
  timer = null;
  play.textContent = '▶ Play';
  play.setAttribute('aria-label', 'Play the training');
}
function tick() {
  const k = +slider.value + 1;
  if (k >= snaps.length) { stop(); return; }
  show(k);
  timer = setTimeout(tick, Math.max(60, Math.min(500, 6000 / snaps.length)));
}
play.addEventListener('click', () => {
  if (timer !== null) { stop(); return; }
  if (+slider.value >= snaps.length - 1) show(0);
  play.textContent = '❚❚ Pause';
  play.setAttribute('aria-label', 'Pause');
  timer = setTimeout(tick, 250);
});
slider.addEventListener('input', () => { stop(); show(+slider.value); });

show(snaps.length - 1);
document.documentElement.dataset.ready = 'true';
