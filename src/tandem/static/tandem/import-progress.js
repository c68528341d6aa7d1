// Follows a running import: polls its progress and reloads the page when it has finished.
(function () {
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const bar = document.getElementById("import-progress");
  const percent = document.getElementById("import-percent");
  const rows = document.getElementById("import-rows");
  async function poll() {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const state = await response.json();
        bar.value = state.percent;
        bar.textContent = state.percent + "%";
        percent.textContent = state.percent + "%";
        rows.textContent = state.rows;
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
