// Draws the dashboard's series (from the snapshot, embedded with json_script) with Chart.js.
(() => {
  const source = document.getElementById("dashboard-series");
  if (!source || typeof Chart === "undefined") return;
  const series = JSON.parse(source.textContent);
  const labels = series.periods || [];
  const number = (values) => (values || []).map((v) => (v === null ? null : Number(v)));
  const line = (id, datasets) => {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, { type: "line", data: { labels, datasets }, options: { spanGaps: true, pointRadius: 0, interaction: { mode: "index", intersect: false } } });
  };
  line("chart-money", [
    { label: "Spend", data: number(series.spend), borderColor: "#e03131" },
    { label: "Revenue", data: number(series.revenue), borderColor: "#2f9e44" },
  ]);
  line("chart-users", [{ label: "Active users", data: number(series.active_users), borderColor: "#3b5bdb" }]);
})();
