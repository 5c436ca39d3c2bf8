// Dashboard charts (Chart.js from static/vendor). Readable without colour: lines differ by
// dash and point shape, bars carry their value as a label, every chart has a data table.
(() => {
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const css = getComputedStyle(document.documentElement);
  const text = css.getPropertyValue("--pico-color").trim() || "#333";
  Chart.defaults.color = text;
  Chart.defaults.font.family = css.getPropertyValue("--pico-font-family").trim() || "system-ui";
  Chart.defaults.maintainAspectRatio = false; // the container has a fixed height
  Chart.defaults.animation = false;

  const TIME_AXIS = { x: { ticks: { maxTicksLimit: 8, maxRotation: 0 } } };
  const BLUE = "#1c7ed6";
  const GREEN = "#2f9e44";
  const ORANGE = "#e8590c";
  const num = (v) => (v === null || v === undefined ? "–" : Number(v).toLocaleString());
  // How each KPI reads (display, decimals, the currency's symbol) comes from the page
  // (metrics.kpis.chart_formats) and is written by formatKpi (tandem.js), so a chart shows
  // the number the tables and tiles show.
  const formats = data.formats || {};
  const kpi = (name) => (v) =>
    window.formatKpi(formats[name] || { display: "percent", decimals: 1 }, v);
  const money = (v) => window.formatKpi(formats.spend || { display: "money", decimals: 0 }, v);
  // Tooltips read "Revenue: $1,234" through the same formatter as the axis.
  const tooltip = (format) => ({
    callbacks: { label: (ctx) => `${ctx.dataset.label}: ${format(ctx.parsed.y)}` },
  });
  const pct = kpi("roi");

  // Writes each bar's value at its end, so the bars read without colour or hover. `format`
  // is one formatter, or one per dataset.
  const valueLabels = (format) => ({
    id: "valueLabels",
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      ctx.save();
      ctx.fillStyle = text;
      ctx.font = "12px system-ui";
      chart.data.datasets.forEach((dataset, i) => {
        chart.getDatasetMeta(i).data.forEach((bar, j) => {
          const value = dataset.data[j];
          if (value === null || value === undefined) return;
          const horizontal = chart.options.indexAxis === "y";
          ctx.textAlign = horizontal ? "left" : "center";
          ctx.textBaseline = horizontal ? "middle" : "bottom";
          const write = Array.isArray(format) ? format[i] : format;
          ctx.fillText(write(value), horizontal ? bar.x + 4 : bar.x, horizontal ? bar.y : bar.y - 2);
        });
      });
      ctx.restore();
    },
  });

  const line = (label, values, color, dash, point) => ({
    label, data: values, borderColor: color, backgroundColor: color, borderDash: dash,
    pointStyle: point, pointRadius: 2, borderWidth: 2, spanGaps: true, tension: 0.2,
  });

  const builders = {
    money: () => {
      const s = data.series || data;
      return {
        type: "line",
        data: {
          labels: s.periods || [],
          datasets: [
            line("Spend (dashed)", (s.spend || []).map(Number), ORANGE, [6, 4], "rectRot"),
            line("Revenue (solid)", (s.revenue || []).map(Number), BLUE, [], "circle"),
          ],
        },
        options: {
          interaction: { mode: "index", intersect: false },
          scales: { ...TIME_AXIS, y: { ticks: { callback: money } } },
          plugins: { legend: { labels: { usePointStyle: true } }, tooltip: tooltip(money) },
        },
      };
    },
    funnel: () => {
      const f = data.funnel || {};
      const steps = ["impressions", "clicks", "visits", "leads", "purchases"];
      return {
        type: "bar",
        data: {
          labels: steps.map((s) => s[0].toUpperCase() + s.slice(1)),
          datasets: [{ label: "Count", data: steps.map((s) => f[s] || 0), backgroundColor: BLUE }],
        },
        options: { indexAxis: "y", scales: { x: { type: "logarithmic" } }, plugins: { legend: { display: false } }, layout: { padding: { right: 60 } } },
        plugins: [valueLabels(num)],
      };
    },
    channels: () => {
      const rows = data.channels || [];
      return {
        type: "bar",
        data: {
          labels: rows.map((r) => r.channel),
          datasets: [{ label: "Conversion rate", data: rows.map((r) => r.conversion_rate), backgroundColor: GREEN }],
        },
        options: { plugins: { legend: { display: false } }, scales: { y: { ticks: { callback: kpi("conversion_rate") } } }, layout: { padding: { top: 18 } } },
        plugins: [valueLabels(kpi("conversion_rate"))],
      };
    },
    adoption: () => {
      const rows = (data.adoption || []).slice(0, 8);
      return {
        type: "bar",
        data: {
          labels: rows.map((r) => r.name),
          datasets: [{ label: "Adoption", data: rows.map((r) => r.adoption), backgroundColor: BLUE }],
        },
        options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { ticks: { callback: kpi("adoption") } } }, layout: { padding: { right: 50 } } },
        plugins: [valueLabels(kpi("adoption"))],
      };
    },
    nps: () => {
      const rows = data.nps || [];
      return {
        type: "line",
        data: {
          labels: rows.map((r) => r.week),
          datasets: [line("NPS (weekly)", rows.map((r) => r.nps), GREEN, [], "triangle")],
        },
        options: { scales: TIME_AXIS, plugins: { legend: { labels: { usePointStyle: true } } } },
      };
    },
    usage: () => ({
      type: "line",
      data: {
        labels: data.periods || [],
        datasets: [line("Active users", data.active_users || [], BLUE, [], "circle")],
      },
      options: { scales: TIME_AXIS, plugins: { legend: { labels: { usePointStyle: true } } } },
    }),
    "channel-compare": () => ({
      type: "bar",
      data: {
        labels: data.channels || [],
        datasets: [
          { label: "Conversion rate", data: data.conversion_rate || [], backgroundColor: GREEN, borderColor: text, borderWidth: 1 },
          { label: "ROI (outlined)", data: data.roi || [], backgroundColor: "transparent", borderColor: BLUE, borderWidth: 2 },
        ],
      },
      options: { scales: { y: { ticks: { callback: pct } } }, layout: { padding: { top: 18 } } },
      plugins: [valueLabels([kpi("conversion_rate"), kpi("roi")])],
    }),
  };

  document.querySelectorAll("canvas[data-chart]").forEach((canvas) => {
    const build = builders[canvas.dataset.chart];
    if (build) new Chart(canvas, build());
  });
})();
