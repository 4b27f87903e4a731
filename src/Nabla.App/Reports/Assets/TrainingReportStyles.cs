namespace Nabla.Reports.Assets;

/// <summary>The styles of the training report only, added after <see cref="ReportStyles.Shared"/>.</summary>
internal static class TrainingReportStyles
{
    public const string Css = """
.row.top { grid-template-columns: 1.45fr 1fr; }
.controls { display: flex; align-items: center; gap: 16px; padding: 10px 14px; }
.play { flex: none; width: 92px; height: 34px; border: none; border-radius: 8px; background: var(--accent); color: #fff;
  font-weight: 600; cursor: pointer; }
.play:hover { filter: brightness(1.08); }
.play:focus-visible, #epoch-slider:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
#epoch-slider { flex: 1; accent-color: var(--accent); height: 22px; cursor: pointer; }
.epoch-label { flex: none; min-width: 300px; text-align: right; font-variant-numeric: tabular-nums; color: var(--muted); }
.epoch-label b { color: var(--ink); font-weight: 650; }
.network .weight { stroke-linecap: round; transition: stroke-width 120ms linear, stroke 120ms linear; }
.network .neuron { stroke: #334155; stroke-width: 1.2; cursor: default; }
.network .neuron.input { fill: #e2e8f0; }
.network .weight:hover, .network .weight.hl { stroke-opacity: 1 !important; }
.network.focus .weight:not(.hl) { stroke-opacity: 0.08 !important; }
.network .neuron:hover { stroke-width: 2.4; }
.network text.name { fill: var(--ink); font-size: 12px; font-weight: 600; }
.network text.caption { font-size: 11px; }
.chart .series { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
.chart .series.s1 { stroke: var(--series-1); }
.chart .series.s2 { stroke: var(--series-2); stroke-dasharray: 5 3; }
.chart .epoch-marker { stroke: #111827; stroke-opacity: 0.45; stroke-dasharray: 3 3; }
.chart .marker-dot { stroke: #fff; stroke-width: 1.5; }
.chart .marker-dot.s1 { fill: var(--series-1); }
.chart .marker-dot.s2 { fill: var(--series-2); }
.heatmap .cell { shape-rendering: crispEdges; }
.heatmap .point { stroke: #fff; stroke-width: 1; }
.heatmap .boundary { fill: none; stroke: #111827; stroke-width: 1.6; stroke-opacity: 0.75; }
.heatmap .frame { fill: none; stroke: #9aa5b4; }
.network text.name { paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.note { margin: 6px 0 0; font-size: 12px; color: var(--muted); }
.chart .best-epoch { stroke: #16a34a; stroke-width: 1.5; stroke-dasharray: 6 3; }
.chart .best-label { fill: #16a34a; font-size: 11px; }
.swatch.best { background: #16a34a; }
.heatmap .smooth { image-rendering: auto; }
table.confusion { border-collapse: collapse; font-variant-numeric: tabular-nums; }
table.confusion th, table.confusion td { padding: 4px 8px; border: 1px solid #e5e7eb; overflow-wrap: anywhere; max-width: 14em; }
table.confusion th.corner { font-weight: 500; color: var(--muted); font-size: 12px; }
table.confusion td.diag { font-weight: 650; }
.legend .readout { margin-left: auto; font-variant-numeric: tabular-nums; color: var(--ink); }
.colorbar { height: 10px; width: 160px; border-radius: 3px; display: inline-block; vertical-align: middle; margin: 0 6px; }
.filter-grid { display: flex; flex-direction: column; gap: 10px; }
.filter-layer { margin: 0; }
.filter-layer figcaption { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
svg.filters rect.tap { stroke: #e5e7eb; stroke-width: 0.3; }
""";
}
