// The research roadmap board: drag a card (native HTML5 drag and drop) to another column or
// place and it is moved with a POST to the board's move route (data-move-url), with the
// CSRF token of the page's #roadmap-csrf form. Without JavaScript (or from the keyboard)
// each card's select and "Move" button do the same. A failed move reloads the board.
// Loaded as a file (the Content-Security-Policy allows no inline script or handler).
(() => {
  const board = document.querySelector(".roadmap[data-move-url]");
  const tokenInput = document.querySelector("#roadmap-csrf input[name=csrfmiddlewaretoken]");
  if (!board || !tokenInput) return;
  const status = document.getElementById("roadmap-status");
  let dragged = null;
  let origin = null; // where the dragged card was, to put it back when the drag is cancelled

  const cardsOf = (list) => Array.from(list.querySelectorAll(":scope > .roadmap-card"));

  // The card the pointer is above (the dragged card goes before it), or null: the end.
  const cardBelow = (list, y) => {
    for (const card of cardsOf(list)) {
      if (card === dragged) continue;
      const box = card.getBoundingClientRect();
      if (y < box.top + box.height / 2) return card;
    }
    return null;
  };

  const move = (card, column) => {
    const list = column.querySelector(".roadmap-cards");
    const horizon = column.dataset.horizon;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", tokenInput.value);
    body.append("opportunity", card.dataset.opportunity);
    body.append("horizon", horizon);
    body.append("position", String(cardsOf(list).indexOf(card)));
    fetch(board.dataset.moveUrl, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": tokenInput.value },
    })
      .then((response) => {
        if (!response.ok) throw new Error(`move answered ${response.status}`);
        return response.json();
      })
      .then(() => {
        const select = card.querySelector("select[name=horizon]");
        if (select) select.value = horizon;
        const title = card.querySelector(".roadmap-card-title");
        const heading = column.querySelector("h2");
        if (status && title && heading) {
          status.textContent = `Moved ${title.textContent} to ${heading.firstChild.textContent.trim()}.`;
        }
      })
      .catch(() => window.location.reload());
  };

  board.querySelectorAll(".roadmap-card[draggable=true]").forEach((card) => {
    card.addEventListener("dragstart", (event) => {
      dragged = card;
      origin = { list: card.parentNode, next: card.nextElementSibling, dropped: false };
      card.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.opportunity);
    });
    card.addEventListener("dragend", () => {
      card.classList.remove("dragging");
      if (origin && !origin.dropped) origin.list.insertBefore(card, origin.next);
      board.querySelectorAll(".drop-target").forEach((el) => el.classList.remove("drop-target"));
      dragged = null;
    });
  });

  board.querySelectorAll(".roadmap-column").forEach((column) => {
    const list = column.querySelector(".roadmap-cards");
    column.addEventListener("dragover", (event) => {
      if (!dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      column.classList.add("drop-target");
      const before = cardBelow(list, event.clientY) || list.querySelector(".roadmap-empty");
      if (before !== dragged && before !== dragged.nextElementSibling) {
        list.insertBefore(dragged, before);
      }
    });
    column.addEventListener("dragleave", (event) => {
      if (!column.contains(event.relatedTarget)) column.classList.remove("drop-target");
    });
    column.addEventListener("drop", (event) => {
      if (!dragged) return;
      event.preventDefault();
      column.classList.remove("drop-target");
      origin.dropped = true;
      move(dragged, column);
    });
  });
})();
