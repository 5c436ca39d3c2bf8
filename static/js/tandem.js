// Small progressive enhancements; every page works without JavaScript.
// Behaviour lives here, not in inline handlers or style attributes: the Content-Security-
// Policy allows neither.
function enhance(root) {
  const fresh = (selector) =>
    [...root.querySelectorAll(selector)].filter((element) => {
      if (element.dataset.enhanced) return false;
      element.dataset.enhanced = "true";
      return true;
    });
  // A read-only field that selects its text on click (API key, calendar feed URL).
  fresh("[data-select-on-click]").forEach((input) => {
    input.addEventListener("click", () => input.select());
  });
  // A select that saves its form as soon as it changes (task status in a table).
  fresh("[data-submit-on-change]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // Timeline bars and markers placed by percent (data-left, data-width).
  root.querySelectorAll("[data-left]").forEach((element) => {
    element.style.left = `${element.dataset.left}%`;
    if (element.dataset.width !== undefined) element.style.width = `${element.dataset.width}%`;
  });
}

document.addEventListener("htmx:load", (event) => enhance(event.target));

document.addEventListener("DOMContentLoaded", () => {
  enhance(document);
  // Close an open dropdown when clicking elsewhere.
  document.addEventListener("click", (event) => {
    document.querySelectorAll("details.dropdown[open]").forEach((details) => {
      if (!details.contains(event.target)) details.removeAttribute("open");
    });
  });
});

// How a KPI value reads in a chart (axis ticks, bar labels, tooltips), by the rule the page
// passes from metrics.kpis (chart_format: display, decimals and, for money, the currency's
// prefix or suffix), so that a chart shows the text the tables and tiles show: "1.2%",
// "2.35×", "$1,234", "1,234.00 CHF", "+32". A missing value reads "–".
window.formatKpi = (rule, value) => {
  if (value === null || value === undefined || value === "") return "–";
  const number = Number(value);
  if (Number.isNaN(number)) return "–";
  const r = rule || { display: "number", decimals: 0 };
  const fixed = (n, d) =>
    n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  if (r.display === "percent") return `${fixed(number * 100, r.decimals)}%`;
  if (r.display === "times") return `${fixed(number, r.decimals)}×`;
  if (r.display === "money") {
    const amount = fixed(Math.abs(number), r.decimals);
    const sign = number < 0 && Number(amount.replace(/,/g, "")) !== 0 ? "-" : "";
    return `${sign}${r.prefix || ""}${amount}${r.suffix || ""}`;
  }
  if (r.display === "points") {
    const score = Math.round(number);
    return score > 0 ? `+${score}` : `${score}`;
  }
  if (r.display === "count") return fixed(Math.round(number), 0);
  return fixed(number, r.decimals);
};
