/*
 * The scores card, when the run records scores: for a classifier the confusion matrix (table.confusion, one
 * td[data-actual][data-predicted] per cell, shaded by its share of the row) with recall per row and precision per
 * column; for a regression the errors in the target's units. Names wrap, never cut.
 */
// ---- scores -----------------------------------------------------------------------
function showScores(run) {
  const card = document.getElementById('scores-card'), box = document.getElementById('scores');
  const final = run.final || {}, on = final.scoredOn ? ` (on the ${final.scoredOn} rows)` : '';
  if (!card || !box) return;
  const cell = (tag, content, cls) => {
    const c = document.createElement(tag);
    c.textContent = content;
    if (cls) c.className = cls;
    return c;
  };
  const pct = v => v === null || v === undefined ? '—' : percent(num(v));
  if (final.classification) {
    const s = final.classification, n = s.classes.length, table = document.createElement('table');
    table.className = 'confusion';
    const head = document.createElement('tr');
    head.append(cell('th', 'actual ↓ · predicted →', 'corner'));
    s.classes.forEach(c => head.append(cell('th', c, 'cls')));
    head.append(cell('th', 'recall'));
    table.append(head);
    s.confusion.forEach((row, a) => {
      const tr = document.createElement('tr'), total = row.reduce((x, y) => x + num(y), 0);
      tr.append(cell('th', s.classes[a], 'cls'));
      row.forEach((count, p) => {
        const td = cell('td', String(count), 'num' + (a === p ? ' diag' : ''));
        td.dataset.actual = a;
        td.dataset.predicted = p;
        td.style.background = mix(WHITE, a === p ? POS : NEG, total ? 0.75 * num(count) / total : 0);
        tr.append(td);
      });
      tr.append(cell('td', pct(s.recall[a]), 'num'));
      table.append(tr);
    });
    const foot = document.createElement('tr');
    foot.append(cell('th', 'precision'));
    for (let p = 0; p < n; p++) foot.append(cell('td', pct(s.precision[p]), 'num'));
    foot.append(cell('td', `accuracy ${pct(s.accuracy)}`, 'num'));
    table.append(foot);
    document.getElementById('scores-title').textContent = 'Confusion matrix' + on;
    box.append(table);
  } else if (final.regression) {
    const r = final.regression, table = document.createElement('table');
    table.className = 'kv';
    for (const [k, v] of [['MSE', r.mse], ['RMSE', r.rmse], ['MAE', r.mae], ['R²', r.r2]]) {
      const tr = document.createElement('tr');
      tr.append(cell('th', k), cell('td', v === null || v === undefined ? '—' : fmt(v), 'num'));
      table.append(tr);
    }
    document.getElementById('scores-title').textContent = `Errors in ${run.settings.outputs[0]}'s units` + on;
    box.append(table);
  } else return;
  card.hidden = false;
}
