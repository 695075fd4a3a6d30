// ПОС-портал: small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // <form data-confirm="Текст вопроса"> asks before submitting.
  // A create form (it carries a one-time submission_token) is sent once: a second click while the page is
  // loading is ignored and its buttons are disabled. The server refuses a repeated token anyway
  // (communities/submissions.py); this only spares the user a second request.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (!form.querySelector("input[name='submission_token']")) { return; }
    if (form.hasAttribute("data-submitted")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submitted", "");
    // Disabled after the browser has collected the form's data, so a named submit button still counts.
    window.setTimeout(function () {
      form.querySelectorAll("button[type='submit'], input[type='submit']").forEach(function (button) {
        button.disabled = true;
      });
    }, 0);
  });

  // Back to a page kept in the browser's memory: its create forms may be sent again (with their old token,
  // which the server answers with what was saved).
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      form.removeAttribute("data-submitted");
      form.querySelectorAll("button[type='submit'], input[type='submit']").forEach(function (button) {
        button.disabled = false;
      });
    });
  });

  // <button data-formset-add="prefix"> clones the empty form of a Django formset.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-add]");
    if (!button) { return; }
    event.preventDefault();
    var prefix = button.getAttribute("data-formset-add");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty-form");
    var target = document.getElementById(prefix + "-forms");
    if (!total || !template || !target) { return; }
    var index = parseInt(total.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var wrapper = document.createElement("div");
    wrapper.innerHTML = html.trim();
    while (wrapper.firstChild) { target.appendChild(wrapper.firstChild); }
    total.value = String(index + 1);
  });
})();
