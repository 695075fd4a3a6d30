// ПОС-портал: small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // <form data-confirm="Текст вопроса"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
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
