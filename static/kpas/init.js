// Start GOV.UK Frontend's components on every page (a file, not an inline script: the
// Content Security Policy allows scripts from the service's own origin only).
import { initAll } from "../govuk-frontend/govuk-frontend.min.js";

initAll();
