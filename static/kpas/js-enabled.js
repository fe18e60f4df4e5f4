// GOV.UK Frontend's two body classes, set before the page is drawn (a file, not an inline
// script: the Content Security Policy allows scripts from the service's own origin only).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
