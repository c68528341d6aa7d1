// Follows background work (an import, growth percentiles): polls its progress and reloads the
// page when it has finished. The box names its progress URL; inside it, the <progress> bar, the
// element marked data-progress-percent and, where there is one, data-progress-detail (rows read
// or the step running) are kept up to date.
(function () {
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const percent = box.querySelector("[data-progress-percent]");
  const detail = document.querySelector("[data-progress-detail]");
  async function poll() {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        if (percent) percent.textContent = state.percent + "%";
        if (detail) detail.textContent = state.rows ?? state.step ?? "";
        if (state.status === "succeeded" || state.status === "failed") {
          window.location.reload();
          return;
        }
      }
    } catch (error) {
      // A dropped request is retried on the next tick.
    }
    window.setTimeout(poll, 1000);
  }
  window.setTimeout(poll, 500);
})();
