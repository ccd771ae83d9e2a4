// Export page of the SRANE: every unfinished export row polls its JSON status once a second
// and updates its <progress>, its label and, once ready, its download link.
// Without JavaScript the page's "Actualiser" link gives the same information.
(function () {
  "use strict";

  function update(row, data) {
    var bar = row.querySelector("progress");
    if (bar && data.total > 0) {
      bar.max = data.total;
      bar.value = data.done;
      bar.textContent = data.percent + " %";
    }
    var label = row.querySelector("[data-export-label]");
    label.textContent = data.text;
    row.querySelector("[data-export-message]").textContent = data.message || "";
    if (!data.finished) {
      return;
    }
    if (bar) {
      bar.remove();
    }
    row.removeAttribute("data-status-url");
    if (data.download_url) {
      var cell = row.querySelector("[data-export-download]");
      var link = document.createElement("a");
      link.className = "fr-link fr-icon-download-line fr-link--icon-left";
      link.href = data.download_url;
      link.textContent = cell.getAttribute("data-download-label");
      cell.replaceChildren(link);
    }
  }

  function poll(row, url) {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        update(row, data);
        if (!data.finished) {
          window.setTimeout(function () { poll(row, url); }, 1000);
        }
      })
      .catch(function () {
        // A network hiccup or a restart: try again, more slowly.
        window.setTimeout(function () { poll(row, url); }, 5000);
      });
  }

  document.querySelectorAll("tr[data-status-url]").forEach(function (row) {
    poll(row, row.getAttribute("data-status-url"));
  });
})();
