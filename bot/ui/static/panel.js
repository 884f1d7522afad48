// Runs as js_on_load of a passages panel (gr.HTML): `element` is the panel, `server.open_article` calls
// Python. Every HTML string inserted here was built (and escaped) by bot/ui/render.py on the server.
(function () {
  if (!window.__botCiteLinks) {
    // A [n] marker anywhere on the page opens and scrolls to its passage card, and flashes it.
    window.__botCiteLinks = true;
    document.addEventListener("click", function (event) {
      const link = event.target.closest("a.cite");
      if (!link) return;
      event.preventDefault();
      const card = document.getElementById(link.dataset.cite || link.getAttribute("href").slice(1));
      if (!card) return;
      const turn = card.closest("details");
      if (turn) turn.open = true;
      card.scrollIntoView({ block: "center" });
      card.classList.remove("flash");
      void card.offsetWidth;  // restart the animation
      card.classList.add("flash");
    });
  }
  function viewer() {
    let box = document.getElementById("article-viewer");
    if (box) return box;
    box = document.createElement("div");
    box.id = "article-viewer";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-modal", "true");
    const close = document.createElement("button");
    close.className = "close";
    close.id = "article-close";
    close.textContent = "Close";
    close.addEventListener("click", function () { box.hidden = true; });
    const body = document.createElement("div");
    body.className = "body";
    box.append(close, body);
    document.body.append(box);
    document.addEventListener("keydown", function (e) { if (e.key === "Escape") box.hidden = true; });
    return box;
  }
  element.addEventListener("click", async function (event) {
    const button = event.target.closest("button.open-article");
    if (!button) return;
    const box = viewer();
    box.hidden = false;
    box.dataset.state = "loading";
    // One argument: Gradio hands a server function the list it was called with.
    const html = await server.open_article([button.dataset.source, button.dataset.spans]);
    box.querySelector(".body").innerHTML = html;
    const span = box.querySelector("#cited-span");
    if (span) span.scrollIntoView({ block: "center" });
    box.dataset.state = "open";
  });
})();
