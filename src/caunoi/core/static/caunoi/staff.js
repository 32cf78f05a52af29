// Small behaviours for the staff screens; no inline scripts (the CSP forbids them).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-toggle-sub]");
  if (!button) return;
  const sub = button.parentElement.querySelector(":scope > .sub");
  const open = button.getAttribute("aria-expanded") === "true";
  button.setAttribute("aria-expanded", open ? "false" : "true");
  if (open) {
    // Collapse: keep htmx from re-fetching on the next click until it is reopened.
    sub.hidden = true;
    event.stopImmediatePropagation();
    event.preventDefault();
  } else if (sub.childElementCount) {
    sub.hidden = false;
    event.stopImmediatePropagation();
    event.preventDefault();
  }
}, true);
