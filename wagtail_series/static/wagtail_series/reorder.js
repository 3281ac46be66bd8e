// "Reorder parts": once Wagtail's w-orderable controller has saved a move (it then adds its
// success message), show the numbers readers now see. Only the server knows them (parts readers
// don't see take no number), so the page is read again; rows are updated in place, keeping the
// keyboard focus on the handle that moved.
(() => {
  const table = document.querySelector("[data-series-reorder]");
  if (!table) return;
  const refresh = () =>
    fetch(window.location.href, { credentials: "same-origin" })
      .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
      .then((html) => {
        const fresh = new DOMParser().parseFromString(html, "text/html");
        const rows = fresh.querySelectorAll("[data-series-reorder] tbody tr");
        const tbody = table.querySelector("tbody");
        rows.forEach((row, index) => {
          const current = document.getElementById(row.id);
          if (!current) return;
          current.querySelector("[data-series-number]").textContent =
            row.querySelector("[data-series-number]").textContent;
          ["up", "down"].forEach((direction) => {
            const selector = `[data-series-move="${direction}"]`;
            current.querySelector(selector).disabled = row.querySelector(selector).disabled;
          });
          if (tbody.children[index] !== current) tbody.insertBefore(current, tbody.children[index]);
        });
        table.dispatchEvent(new CustomEvent("series:renumbered", { bubbles: true }));
      })
      .catch(() => window.location.reload());
  document.addEventListener("w-messages:add", refresh);
})();
