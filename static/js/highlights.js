// Highlights on an insight's page: selecting text inside [data-highlight-source] (the
// body's Markdown source shown as plain text, character for character; see
// research/views/highlights.py) fills the hidden start/end of [data-highlight-form] with
// the selection's offsets into that text and shows the form (tags, persona, feature).
// Offsets are counted in Unicode code points, as the server's Python strings are.
// Loaded as a file (the Content-Security-Policy allows no inline script or handler).
(() => {
  const source = document.querySelector("[data-highlight-source]");
  const form = document.querySelector("[data-highlight-form]");
  if (!source || !form) return;
  const startInput = form.querySelector('input[name="start"]');
  const endInput = form.querySelector('input[name="end"]');
  const preview = form.querySelector("[data-highlight-preview]");
  const cancel = form.querySelector("[data-highlight-cancel]");

  // UTF-16 units before `node`/`offset` inside the source block.
  const unitsBefore = (node, offset) => {
    const range = document.createRange();
    range.selectNodeContents(source);
    range.setEnd(node, offset);
    return range.toString().length;
  };
  // UTF-16 units -> code points (an emoji is 2 units, 1 character in Python).
  const codePoints = (text, units) => Array.from(text.slice(0, units)).length;

  const select = () => {
    const selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!source.contains(range.startContainer) || !source.contains(range.endContainer)) return;
    const text = source.textContent;
    const startUnits = unitsBefore(range.startContainer, range.startOffset);
    const endUnits = unitsBefore(range.endContainer, range.endOffset);
    if (endUnits <= startUnits || !text.slice(startUnits, endUnits).trim()) return;
    startInput.value = String(codePoints(text, startUnits));
    endInput.value = String(codePoints(text, endUnits));
    if (preview) preview.textContent = text.slice(startUnits, endUnits);
    form.hidden = false;
  };

  source.addEventListener("mouseup", select);
  source.addEventListener("keyup", select); // a selection made with shift + arrows
  cancel?.addEventListener("click", () => {
    form.hidden = true;
    startInput.value = "";
    endInput.value = "";
    window.getSelection()?.removeAllRanges();
  });

  // Pointing at a saved highlight in the list outlines its passage in the text.
  document.querySelectorAll(".highlight-list > li[id^='highlight-']").forEach((item) => {
    const marks = source.querySelectorAll(`mark[data-highlights~="${item.id}"]`);
    const toggle = (on) => marks.forEach((mark) => mark.classList.toggle("active", on));
    item.addEventListener("mouseenter", () => toggle(true));
    item.addEventListener("mouseleave", () => toggle(false));
  });
})();
