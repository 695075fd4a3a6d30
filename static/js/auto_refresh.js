// <p data-auto-refresh="5"> reloads the page after that many seconds, unless the person turns it off with the
// page's <button data-auto-refresh-stop> (WCAG 2.2.1: a time limit the user can turn off — a <meta http-equiv=
// "refresh"> cannot be). Without JavaScript the page's «Проверить ещё раз» link does the same by hand.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var note = document.querySelector("[data-auto-refresh]");
    var stop = document.querySelector("[data-auto-refresh-stop]");
    if (!note) { return; }
    var seconds = parseInt(note.getAttribute("data-auto-refresh"), 10) || 5;
    var timer = window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
    note.hidden = false;
    if (stop) {
      stop.hidden = false;
      stop.addEventListener("click", function () {
        window.clearTimeout(timer);
        note.textContent = "Автоматическое обновление выключено: откройте сводку кнопкой «Проверить ещё раз».";
        stop.hidden = true;
      });
    }
  });
})();
