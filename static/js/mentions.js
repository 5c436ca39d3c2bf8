// @mention autocompletion for comment boxes: a textarea with data-mentions-url (the
// workspace's mentions/ route, answering {"results": [{username, name}]}) suggests the
// members whose username or name starts with what follows "@", and inserts "@username ".
// Loaded as a file (the Content-Security-Policy allows no inline script or handler).
(() => {
  const TOKEN = /(^|[^\w.@+-])@([\w.@+-]*)$/;

  function attach(textarea) {
    if (textarea.dataset.mentionsReady) return;
    textarea.dataset.mentionsReady = "true";
    const list = document.getElementById(textarea.getAttribute("aria-controls"));
    if (!list) return;
    let results = [];
    let active = -1;
    let pending = null;
    let timer = null;

    const tokenAtCaret = () => {
      const before = textarea.value.slice(0, textarea.selectionStart);
      const match = TOKEN.exec(before);
      return match ? { query: match[2], start: before.length - match[2].length - 1 } : null;
    };

    const close = () => {
      list.hidden = true;
      list.replaceChildren();
      results = [];
      active = -1;
      textarea.setAttribute("aria-expanded", "false");
      textarea.removeAttribute("aria-activedescendant");
    };

    const highlight = (index) => {
      active = index;
      [...list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
      if (index >= 0) textarea.setAttribute("aria-activedescendant", list.children[index].id);
    };

    const choose = (index) => {
      const token = tokenAtCaret();
      const member = results[index];
      if (!token || !member) return close();
      const inserted = `@${member.username} `;
      const caret = textarea.selectionStart;
      textarea.value = textarea.value.slice(0, token.start) + inserted + textarea.value.slice(caret);
      const position = token.start + inserted.length;
      textarea.setSelectionRange(position, position);
      close();
      textarea.focus();
    };

    const show = (members) => {
      results = members;
      list.replaceChildren(
        ...members.map((member, index) => {
          const item = document.createElement("li");
          item.id = `${list.id}-${index}`;
          item.setAttribute("role", "option");
          const name = document.createElement("strong");
          name.textContent = `@${member.username}`;
          item.append(name);
          if (member.name) item.append(` ${member.name}`);
          // mousedown, not click: the textarea keeps its focus and caret.
          item.addEventListener("mousedown", (event) => {
            event.preventDefault();
            choose(index);
          });
          return item;
        }),
      );
      list.hidden = members.length === 0;
      textarea.setAttribute("aria-expanded", String(members.length > 0));
      highlight(members.length ? 0 : -1);
    };

    const suggest = () => {
      const token = tokenAtCaret();
      if (!token) return close();
      if (pending) pending.abort();
      pending = new AbortController();
      const url = `${textarea.dataset.mentionsUrl}?q=${encodeURIComponent(token.query)}`;
      fetch(url, { signal: pending.signal, headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : { results: [] }))
        .then((data) => show(data.results || []))
        .catch((error) => {
          if (error.name !== "AbortError") close();
        });
    };

    textarea.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
    textarea.addEventListener("keydown", (event) => {
      if (list.hidden || !results.length) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % results.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + results.length) % results.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(active < 0 ? 0 : active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    textarea.addEventListener("blur", () => setTimeout(close, 100));
  }

  const enhance = (root) => root.querySelectorAll("textarea[data-mentions-url]").forEach(attach);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhance(document));
  } else {
    enhance(document);
  }
  document.addEventListener("htmx:load", (event) => enhance(event.target));
})();
