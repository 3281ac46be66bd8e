// wagtail-series in the page editor of a series part. What it knows of the series comes from the
// "In the series" panel (a JSON script, "wagtail-series-rich-text"); elsewhere it does nothing.
//
// 1. Faster linking: a new link's page chooser opens at the series rather than at the root of
//    the page tree. Draftail's link source opens Wagtail's page chooser (at its root for a new
//    link) through window.ModalWorkflow, as every chooser does; only that call is redirected.
// 2. Links to the series' forthcoming parts are marked "coming soon" in the rich-text editors,
//    as readers will see them: plain text until the part is published.
(() => {
  const script = document.getElementById("wagtail-series-rich-text");
  if (!script) return;
  const config = JSON.parse(script.textContent);

  const startAtSeries = () => {
    const open = window.ModalWorkflow;
    if (typeof open !== "function" || open.wagtailSeries) return;
    const wrapped = function modalWorkflow(opts) {
      const params = (opts && opts.urlParams) || {};
      // The link chooser (it offers external links), opened for a new link: start at the series.
      if (opts && opts.url === config.pageChooserUrl && params.allow_external_link) {
        return open.call(this, { ...opts, url: config.seriesChooserUrl });
      }
      return open.call(this, opts);
    };
    wrapped.wagtailSeries = true;
    window.ModalWorkflow = wrapped;
  };

  const pathOf = (url) => new URL(url, window.location.href).pathname;
  const forthcoming = new Set(config.forthcomingUrls.map(pathOf));
  const mark = () => {
    document.querySelectorAll("a.TooltipEntity[data-draftail-trigger]").forEach((link) => {
      const href = link.getAttribute("href");
      const isForthcoming = Boolean(href) && forthcoming.has(pathOf(href));
      if (isForthcoming === link.classList.contains("series-forthcoming-link")) return;
      link.classList.toggle("series-forthcoming-link", isForthcoming);
      if (isForthcoming) {
        link.dataset.seriesLabel = config.forthcomingLabel;
        link.setAttribute("aria-description", config.forthcomingLabel);
      } else {
        delete link.dataset.seriesLabel;
        link.removeAttribute("aria-description");
      }
    });
  };

  const start = () => {
    startAtSeries();
    mark();
    // Typing changes the editors many times a second: mark once per frame at most.
    let queued = false;
    const markSoon = () => {
      if (queued) return;
      queued = true;
      window.requestAnimationFrame(() => {
        queued = false;
        mark();
      });
    };
    new MutationObserver(markSoon).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["href"],
    });
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
