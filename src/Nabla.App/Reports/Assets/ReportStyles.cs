namespace Nabla.Reports.Assets;

/// <summary>The stylesheet shared by every report page (see <see cref="ReportPage"/>).</summary>
internal static class ReportStyles
{
    public const string Shared = """
:root {
  --bg: #f4f6f9; --card: #ffffff; --ink: #1b2430; --muted: #5f6b7a; --line: #e3e7ee; --grid: #eef1f5;
  --head: #111827; --head-ink: #f8fafc; --accent: #4f46e5;
  --pos: #2563eb; --neg: #e8590c; --series-1: #2563eb; --series-2: #e8590c;
  --radius: 10px;
  font-family: "Inter", "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; line-height: 1.45; color: var(--ink); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; min-width: 960px; }
.page-header { background: var(--head); color: var(--head-ink); }
.page-header-inner { max-width: 1240px; margin: 0 auto; padding: 14px 20px; display: flex; gap: 14px; align-items: center; }
.brand { width: 38px; height: 38px; border-radius: 9px; background: var(--accent); display: grid; place-items: center;
  font-size: 22px; font-weight: 700; color: #fff; flex: none; }
.page-header h1 { margin: 0; font-size: 19px; font-weight: 650; letter-spacing: 0.1px; }
.page-header .subtitle { margin: 1px 0 0; color: #aab4c3; font-size: 13px; }
main { max-width: 1240px; margin: 0 auto; padding: 14px 20px 8px; display: flex; flex-direction: column; gap: 14px; }
.page-footer { max-width: 1240px; margin: 0 auto; padding: 6px 20px 18px; color: var(--muted); font-size: 12px; }
.row { display: grid; gap: 14px; grid-template-columns: 1fr 1fr; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: var(--radius);
  box-shadow: 0 1px 2px rgba(16, 24, 40, 0.04); padding: 12px 14px; min-width: 0; }
.card h2 { margin: 0 0 6px; font-size: 13px; font-weight: 650; text-transform: uppercase; letter-spacing: 0.6px; color: var(--muted); }
.card .note { margin: 4px 0 0; color: var(--muted); font-size: 12px; }
svg { display: block; width: 100%; height: auto; font-family: inherit; }
svg text { fill: var(--muted); font-size: 11px; }
.axis path, .axis line { stroke: #9aa5b4; }
.gridline { stroke: var(--grid); }
table.kv { border-collapse: collapse; width: 100%; font-size: 13px; }
table.kv th, table.kv td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.kv th { color: var(--muted); font-weight: 500; width: 42%; }
table.kv.wide th { width: 18%; }
table.kv.wide td { width: 32%; }
table.kv td.num { font-variant-numeric: tabular-nums; }
table.kv tr:last-child th, table.kv tr:last-child td { border-bottom: none; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; color: var(--muted); font-size: 12px; margin-top: 4px; }
.swatch { display: inline-block; width: 14px; height: 4px; border-radius: 2px; vertical-align: middle; margin-right: 5px; }
.swatch.dot { width: 10px; height: 10px; border-radius: 50%; border: 1px solid #fff; box-shadow: 0 0 0 1px rgba(0,0,0,.15); }
.tooltip { position: fixed; z-index: 10; pointer-events: none; background: #111827; color: #f8fafc; border-radius: 7px;
  padding: 7px 10px; font-size: 12px; line-height: 1.5; box-shadow: 0 6px 20px rgba(0,0,0,.2); max-width: 280px; }
.tooltip .tt-title { font-weight: 650; margin-bottom: 2px; }
.tooltip .tt-row { display: flex; justify-content: space-between; gap: 14px; font-variant-numeric: tabular-nums; }
.tooltip .tt-row span:first-child { color: #aab4c3; }
button { font: inherit; }

""";
}
