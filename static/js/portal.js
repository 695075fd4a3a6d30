// ПОС-портал: small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // <form data-confirm="Текст вопроса"> asks before submitting.
  // A create form (it carries a one-time submission_token) is sent once: a second click while the page is
  // loading is ignored and its buttons are disabled. The server refuses a repeated token anyway
  // (communities/submissions.py); this only spares the user a second request.
  document.addEventListener("submit", function (event) {
    // A form sent by htmx (hx-post): htmx has taken the submit, asked its hx-confirm and guards a double click.
    if (event.defaultPrevented) { return; }
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
    var added = wrapper.firstElementChild;
    while (wrapper.firstChild) { target.appendChild(wrapper.firstChild); }
    total.value = String(index + 1);
    focusFirstField(added);
  });

  // <button data-row-move="up|down"> in a formset row moves the row and numbers the rows' «№» inputs
  // (data-row-order) in their new order; a row nobody filled is left unnumbered (it stays an unchanged extra form).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-row-move]");
    if (!button) { return; }
    event.preventDefault();
    var row = button.closest(".formset-row");
    if (!row || !row.parentElement) { return; }
    var up = button.getAttribute("data-row-move") === "up";
    var other = up ? row.previousElementSibling : row.nextElementSibling;
    if (!other) { return; }
    row.parentElement.insertBefore(up ? row : other, up ? other : row);
    var number = 0;
    row.parentElement.querySelectorAll(".formset-row").forEach(function (each) {
      number += 1;
      var order = each.querySelector("[data-row-order]");
      var text = each.querySelector("textarea");
      if (order && (order.value || (text && text.value))) { order.value = String(number); }
    });
    button.focus();
  });

  // The focus goes to what was just added: the first field of a row, or the element marked data-focus by the
  // server (an added question, the summary of a part's errors), on load and after htmx has swapped a part.
  function focusFirstField(root) {
    if (!root) { return; }
    // The first field to type in or choose from (a row's «№», its radio buttons and checkboxes left aside).
    var field = root.querySelector("textarea, select, input:not([type='hidden']):not([type='checkbox'])" +
      ":not([type='radio']):not([data-row-order])");
    if (field) {
      field.focus();
    } else if (root.hasAttribute("tabindex")) {
      root.focus();  // a question as read: the part itself
    }
  }

  function focusMarked() {
    var marked = document.querySelector("[data-focus]");
    if (!marked) { return; }
    marked.removeAttribute("data-focus");
    if (marked.classList.contains("editor-part")) {
      focusFirstField(marked);
    } else {
      marked.focus();
    }
  }

  document.addEventListener("htmx:afterSettle", focusMarked);
  focusMarked();
  // At a part of the protocol editor (back on the meeting page after a save without htmx, or a link such as
  // «Добавить вопрос»): into that part.
  // A link of an error summary (href="#id_…") puts the focus into its field.
  function focusHashPart(event) {
    if (window.location.hash.length < 2) { return; }
    var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
    if (!target) { return; }
    if (target.matches("input, select, textarea")) {
      target.focus();
    } else if (target.classList.contains("editor-part") && (event || !document.querySelector(".error-summary"))) {
      focusFirstField(target);
    }
  }
  window.addEventListener("hashchange", focusHashPart);
  focusHashPart(null);

  // The protocol editor (meetings/views/editor.py): a saved part tells the page the meeting's new version, which
  // every other part's form then carries, and the order of the questions, which their parts follow.
  document.addEventListener("protocolChanged", function (event) {
    var detail = event.detail || {};
    if (detail.version) {
      document.querySelectorAll("#protocol-editor input[name='version']").forEach(function (input) {
        input.value = String(detail.version);
      });
    }
    var list = document.getElementById("questions");
    if (!list || !detail.order) { return; }
    detail.order.forEach(function (pk, index) {
      var question = list.querySelector("[data-question='" + String(pk) + "']");
      if (!question) { return; }
      list.appendChild(question);
      var number = question.querySelector("[data-question-number]");
      if (number) { number.textContent = String(index + 1); }
    });
  });
})();
