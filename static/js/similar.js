// Similar insights while an insight is typed: the form's title and body are sent (debounced)
// to the workspace's insights/similar/ route (data-similar-url on #similar-live, CSRF token
// from the form) and the best matches are listed with their score; a likely duplicate gets a
// warning with its link. Loaded as a file (the Content-Security-Policy allows no inline script).
(() => {
  const DELAY = 400;
  const MIN_CHARS = 12;

  function attach(panel) {
    const form = panel.closest("form") || document.querySelector("form[method=post] #id_title")?.form;
    if (!form) return;
    const title = form.querySelector("[name=title]");
    const body = form.querySelector("[name=body]") || form.querySelector("[name=evidence]");
    const token = form.querySelector("[name=csrfmiddlewaretoken]");
    const list = panel.querySelector(".similar-list");
    const warning = panel.querySelector(".similar-duplicate");
    let timer = null;
    let pending = null;
    let last = "";

    const render = (results) => {
      list.replaceChildren(
        ...results.map((row) => {
          const item = document.createElement("li");
          const link = document.createElement("a");
          link.href = row.url;
          link.textContent = row.title;
          const score = document.createElement("span");
          score.className = "similar-score";
          score.textContent = ` ${Math.round(row.score * 100)}%`;
          item.append(link, score);
          if (row.duplicate) {
            const badge = document.createElement("span");
            badge.className = "badge duplicate";
            badge.textContent = "Likely duplicate";
            item.append(" ", badge);
          }
          return item;
        }),
      );
      const duplicate = results.find((row) => row.duplicate);
      warning.hidden = !duplicate;
      if (duplicate) {
        const link = warning.querySelector("a");
        link.href = duplicate.url;
        link.textContent = duplicate.title;
      }
      panel.hidden = results.length === 0;
    };

    const lookup = () => {
      const text = `${title ? title.value : ""}\n${body ? body.value : ""}`.trim();
      if (text === last) return;
      last = text;
      if (text.length < MIN_CHARS) return render([]);
      if (pending) pending.abort();
      pending = new AbortController();
      const data = new FormData();
      data.append("title", title ? title.value.slice(0, 200) : "");
      data.append("body", body ? body.value.slice(0, 5000) : "");
      if (panel.dataset.exclude) data.append("exclude", panel.dataset.exclude);
      fetch(panel.dataset.similarUrl, {
        method: "POST",
        body: data,
        signal: pending.signal,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
      })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((payload) => render(payload.results || []))
        .catch((error) => {
          if (error.name !== "AbortError") render([]);
        });
    };

    const schedule = () => {
      clearTimeout(timer);
      timer = setTimeout(lookup, DELAY);
    };
    [title, body].forEach((field) => field && field.addEventListener("input", schedule));
    lookup();
  }

  const start = () => document.querySelectorAll("#similar-live").forEach(attach);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
