/* Immediate feedback on a survey form: skip logic, calculations, required answers, types,
   choice lists (choice_filter, several choices, ranks) and constraints, with CaunoiExpressions
   and CaunoiCheck. The server checks everything again and decides. */
(function () {
  "use strict";
  var X = window.CaunoiExpressions;
  var C = window.CaunoiCheck;
  if (!X || !C) { return; }
  var specs = {};
  var specNode = document.getElementById("survey-fields");
  if (specNode) {
    JSON.parse(specNode.textContent).forEach(function (f) { specs[f.name] = f; });
  }

  function valueOf(form, name) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    var parts = [];
    inputs.forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) { parts.push(input.value); }
      } else if (input.tagName === "SELECT" && input.multiple) {
        Array.from(input.selectedOptions).forEach(function (o) { parts.push(o.value); });
      } else if (input.value.trim() !== "") {
        parts.push(input.value.trim());
      }
    });
    return parts.join(" ");
  }

  function typeError(node, value, ctx) {
    var name = node.getAttribute("data-name");
    var spec = specs[name];
    if (!spec) {  // without the form's fields, only what needs no choice list
      var kind = node.getAttribute("data-kind");
      if (["integer", "decimal", "date", "text"].indexOf(kind) < 0) { return ""; }
      spec = { name: name, kind: kind, choices: [] };
    }
    return C.typeError(spec, value, ctx);
  }

  function setup(form) {
    var today = form.getAttribute("data-today");
    var flag = form.querySelector('input[name="_js"]');
    if (flag) { flag.value = "1"; }
    var nodes = Array.from(form.querySelectorAll("[data-name]"));
    var touched = {};
    var messages = {
      required: form.getAttribute("data-msg-required"),
      invalid: form.getAttribute("data-msg-invalid"),
      integer: form.getAttribute("data-msg-integer"),
      decimal: form.getAttribute("data-msg-decimal"),
      date: form.getAttribute("data-msg-date"),
      long: form.getAttribute("data-msg-long"),
      choice: form.getAttribute("data-msg-choice"),
      duplicate: form.getAttribute("data-msg-duplicate"),
      rank: form.getAttribute("data-msg-rank")
    };

    function update(showAll) {
      var values = {};
      nodes.forEach(function (node) {
        var name = node.getAttribute("data-name");
        values[name] = node.classList.contains("calc") ? node.value : valueOf(form, name);
      });
      form.querySelectorAll('input[type="hidden"]').forEach(function (input) {
        if (!(input.name in values) && input.name.charAt(0) !== "_" && input.name !== "csrfmiddlewaretoken") { values[input.name] = valueOf(form, input.name); }
      });
      var ctx = { values: values, current: "", today: today, item: null };
      var problems = [];
      nodes.forEach(function (node) {
        var name = node.getAttribute("data-name");
        var relevant = node.getAttribute("data-relevant");
        var applies = !relevant || X.toBool(safeRaw(relevant, ctx));
        if (node.classList.contains("calc")) {
          var calc = node.getAttribute("data-calculate");
          if (calc) {
            values[name] = applies ? X.toString(safeRaw(calc, ctx)) : "";
            node.value = values[name];
          }
          return;
        }
        node.hidden = !applies;
        if (!applies) { values[name] = ""; return; }
        filterChoices(node, ctx);
        var value = values[name];
        ctx.current = value;
        var message = "";
        if (value === "") {
          var required = node.getAttribute("data-required");
          if (required && isTrue(required, ctx)) {
            message = node.getAttribute("data-required-message") || messages.required;
          }
        } else {
          var wrong = typeError(node, value, ctx);
          if (wrong) {
            message = messages[wrong] || messages.invalid;
          } else {
            var constraint = node.getAttribute("data-constraint");
            if (constraint && !X.toBool(safeRaw(constraint, ctx))) {
              message = node.getAttribute("data-constraint-message") || messages.invalid;
            }
          }
        }
        var slot = node.querySelector("[data-error-for]");
        if (message) { problems.push(node); }
        if (slot && (showAll || touched[name])) {
          slot.textContent = message;
          slot.hidden = !message;
          node.classList.toggle("has-error", !!message);
        }
      });
      return problems;
    }

    function safeRaw(text, ctx) {
      try { return X.runRaw(text, ctx); } catch (e) { return ""; }
    }
    function isTrue(text, ctx) {
      var lower = text.toLowerCase();
      if (lower === "yes" || lower === "true" || lower === "true()") { return true; }
      if (lower === "no" || lower === "false" || lower === "false()") { return false; }
      return X.toBool(safeRaw(text, ctx));
    }
    function filterChoices(node, ctx) {
      var filter = node.getAttribute("data-choice-filter");
      if (!filter) { return; }
      node.querySelectorAll("[data-item]").forEach(function (choice) {
        var item = JSON.parse(choice.getAttribute("data-item"));
        var keep = X.toBool(safeRaw(filter, { values: ctx.values, current: "", today: ctx.today, item: item }));
        choice.hidden = !keep;
        if (!keep) {
          var input = choice.tagName === "OPTION" ? choice : choice.querySelector("input");
          if (input && (input.checked || input.selected)) {
            input.checked = false; input.selected = false;
          }
        }
      });
    }

    form.addEventListener("input", function (event) {
      if (event.target.name) { touched[event.target.name] = true; }
      update(false);
    });
    form.addEventListener("change", function (event) {
      if (event.target.name) { touched[event.target.name] = true; }
      update(false);
    });
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.value === "back") { return; }
      var problems = update(true);
      if (problems.length) {
        event.preventDefault();
        var first = problems[0].querySelector("input, select, textarea");
        if (first) { first.focus(); }
      }
    });
    update(false);
  }

  document.querySelectorAll("form.survey-form").forEach(setup);
})();
