// Conditional questions under an option: shown while it is chosen. GOV.UK Frontend's own
// reveal sets aria-expanded on the radio, which ARIA does not allow there (axe
// aria-allowed-attr; govuk-frontend#979), so the pages do it with aria-controls only.
// Without JavaScript every conditional question stays visible.
const inputs = document.querySelectorAll(
  ".govuk-radios__input[aria-controls], .govuk-checkboxes__input[aria-controls]",
);
const sync = () =>
  inputs.forEach((input) => {
    const target = document.getElementById(input.getAttribute("aria-controls"));
    if (!target) return;
    const kind = input.type === "radio" ? "radios" : "checkboxes";
    target.classList.toggle(`govuk-${kind}__conditional--hidden`, !input.checked);
  });
document.addEventListener("change", sync);
sync();
