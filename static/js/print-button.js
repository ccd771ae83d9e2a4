// "Imprimer" buttons: hidden until this script runs (without it, the page says Ctrl+P).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
