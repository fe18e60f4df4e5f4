// The upload progress page: ask where the file has got to every 1.5 seconds, move the bar,
// and show the result page when the file is done. It never waits for ever: past the limit
// (IMPORT_PROGRESS_LIMIT_SECONDS) it reloads once into the page that explains, and stops. Without JavaScript the page refreshes
// itself instead (a <noscript> meta refresh) and has a "Refresh this page" link.
const root = document.querySelector(".kpas-progress[data-progress-url]");

if (root) {
  const track = root.querySelector("[role=progressbar]");
  const bar = root.querySelector(".kpas-progress__bar");
  const stage = root.querySelector(".kpas-progress__stage");
  const percent = root.querySelector(".kpas-progress__percent");
  const url = root.dataset.progressUrl;
  let failures = 0;
  // The bar's starting width comes from the page (no style attribute: the CSP forbids them).
  bar.style.width = `${Number(bar.dataset.percent) || 0}%`;

  const ask = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) throw new Error(`status ${response.status}`);
      const progress = await response.json();
      failures = 0;
      bar.style.width = `${progress.percent}%`;
      track.setAttribute("aria-valuenow", String(progress.percent));
      if (stage.textContent !== progress.stage_label) stage.textContent = progress.stage_label;
      percent.textContent = `${progress.percent}%`;
      if (progress.finished || (progress.slow && root.dataset.slow !== "true")) {
        // Finished: show the result. Too slow: show the page that says what happened and
        // what to do (it stops waiting).
        window.location.replace(progress.url);
        return;
      }
    } catch (error) {
      failures += 1;
      if (failures > 5) return; // stop asking; the "Refresh this page" link still works
    }
    window.setTimeout(ask, 1500);
  };

  if (root.dataset.slow !== "true") window.setTimeout(ask, 1000);
}
