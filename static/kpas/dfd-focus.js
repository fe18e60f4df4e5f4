// After Add another: the new item's first question; after Remove: the list's heading (or the
// page's h1 when the list's legend repeats it). WCAG 2.4.3. The id comes from the page's
// json_script "dfd-focus" (templates/referrals/step.html).
const data = document.getElementById("dfd-focus");
if (data) {
  const id = "id_" + JSON.parse(data.textContent);
  let target = document.getElementById(id);
  if (target && target.tagName === "FIELDSET") {
    target = target.querySelector("input:not([type=hidden]), select, textarea");
  } else if (target && target.closest(".govuk-visually-hidden")) {
    target = document.querySelector("h1");
    target.setAttribute("tabindex", "-1");
  }
  if (target) target.focus();
}
