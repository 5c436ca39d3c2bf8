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
