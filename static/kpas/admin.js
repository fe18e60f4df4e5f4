// Accessibility fixes for markup the Django admin's widgets write (loaded by
// templates/admin/base_site.html). Each fix runs on the page as loaded and again whenever a
// widget adds its markup later (the two-box filter, select2, the date/time shortcuts).
(function () {
  "use strict";

  function labelFor(input) {
    var label = input.id && document.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function fix(root) {
    // The two-box filter's search icon: aria-label is not allowed on a span without a role.
    root.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (span) {
      span.setAttribute("role", "img");
    });
    // A split date and time: "Date:" and "Time:" are bare text, not labels (WCAG 1.3.1).
    root.querySelectorAll("p.datetime").forEach(function (group) {
      var inputs = group.querySelectorAll("input.vDateField, input.vTimeField");
      var name = labelFor({ id: (inputs[0] && inputs[0].id || "").replace(/_0$/, "") })
        || labelFor(inputs[0] || {});
      inputs.forEach(function (input) {
        if (input.hasAttribute("aria-label") || document.querySelector('label[for="' + input.id + '"]')) return;
        var part = input.classList.contains("vDateField") ? "date" : "time";
        input.setAttribute("aria-label", (name ? name + " " : "") + part);
      });
    });
    // select2's combobox is named by its selection alone, empty until something is chosen.
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var container = box.closest(".select2");
      var select = container && container.previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
      if (!label || box.dataset.kpasNamed) return;
      label.id = label.id || select.id + "-label";
      var current = box.getAttribute("aria-labelledby");
      box.setAttribute("aria-labelledby", label.id + (current ? " " + current : ""));
      // ...and the read-only textbox inside it, which shows the choice, by the same label.
      var shown = box.querySelector(".select2-selection__rendered[role=textbox]");
      if (shown) shown.setAttribute("aria-labelledby", label.id);
      box.dataset.kpasNamed = "1";
    });
  }

  function start() {
    fix(document);
    new MutationObserver(function () { fix(document); })
      .observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
