// Draws each diagnosis's evidence (its daily values and the baseline it was judged
// against, embedded with json_script as "evidence-<id>") as a small Chart.js line chart.
// Values and the baseline carry their text from the KPI module (metrics.kpis), so the
// tooltips read exactly as the diagnosis does; axis ticks use the KPI's display.
(() => {
  if (typeof Chart === "undefined") return;
  const tick = (data) => (v) => {
    if (data.display === "percent") return `${(v * 100).toFixed(Math.max(0, data.decimals - 1))}%`;
    if (data.display === "times") return `${Number(v).toFixed(1)}×`;
    if (data.display === "money") return window.formatKpi(data, v); // "$1,234" in the currency
    return Number(v).toLocaleString(undefined, { maximumFractionDigits: data.decimals });
  };
  document.querySelectorAll("canvas[data-evidence]").forEach((canvas) => {
    const source = document.getElementById(canvas.dataset.evidence);
    if (!source) return;
    const data = JSON.parse(source.textContent);
    const series = data.series || [];
    const labels = series.map((point) => point.date);
    const datasets = [
      {
        label: data.label,
        data: series.map((point) => point.value),
        texts: series.map((point) => point.display),
        borderColor: "#1c7ed6",
        pointRadius: 0,
        spanGaps: true,
      },
    ];
    if (data.baseline) {
      datasets.push({
        label: data.baseline.label,
        data: series.map(() => data.baseline.value),
        texts: series.map(() => data.baseline.display),
        borderColor: "#868e96",
        borderDash: [6, 4],
        pointRadius: 0,
      });
    }
    new Chart(canvas, {
      type: "line",
      data: { labels, datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: "index", intersect: false },
        scales: { x: { ticks: { maxTicksLimit: 6, maxRotation: 0 } }, y: { ticks: { callback: tick(data) } } },
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: { label: (ctx) => `${ctx.dataset.label}: ${ctx.dataset.texts[ctx.dataIndex]}` },
          },
        },
      },
    });
  });
})();
