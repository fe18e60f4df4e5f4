// The document progress page (templates/kpas/documents/progress.html): ask every few seconds
// whether the document is made, and reload the page when it is ready or has failed.
(function () {
  var seconds = Number(document.currentScript.dataset.refreshSeconds) || 2;
  var url = window.location.pathname + "?format=json";
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.status === "ready" || data.status === "failed") { window.location.reload(); }
        else { window.setTimeout(poll, seconds * 1000); }
      })
      .catch(function () { window.setTimeout(poll, seconds * 2000); });
  }
  window.setTimeout(poll, seconds * 1000);
})();
