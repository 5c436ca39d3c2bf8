// Draws the dashboard's series (from the snapshot, embedded with json_script) with Chart.js.
// Money ticks and tooltips read in the workspace's currency by the page's rule
// (metrics.kpis.chart_formats, written by formatKpi in tandem.js).
(() => {
  const source = document.getElementById("dashboard-series");
  if (!source || typeof Chart === "undefined") return;
  const series = JSON.parse(source.textContent);
  const labels = series.periods || [];
  const formats = series.formats || {};
  const number = (values) => (values || []).map((v) => (v === null ? null : Number(v)));
  const line = (id, datasets, kpi) => {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const format = (v) => window.formatKpi(formats[kpi] || { display: "number", decimals: 0 }, v);
    new Chart(canvas, {
      type: "line",
      data: { labels, datasets },
      options: {
        spanGaps: true,
        pointRadius: 0,
        interaction: { mode: "index", intersect: false },
        scales: { y: { ticks: { callback: format } } },
        plugins: {
          tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${format(ctx.parsed.y)}` } },
        },
      },
    });
  };
  line(
    "chart-money",
    [
      { label: "Spend", data: number(series.spend), borderColor: "#e03131" },
      { label: "Revenue", data: number(series.revenue), borderColor: "#2f9e44" },
    ],
    "spend",
  );
  line("chart-users", [{ label: "Active users", data: number(series.active_users), borderColor: "#3b5bdb" }], "active_users");
})();
