/* The check of a whole submission, as caunoi/surveys/form.py check() does it: relevance,
   calculations, required answers, types, choice lists (with choice_filter), several choices
   (select_multiple, rank) and constraints. The browser uses it for immediate feedback; the
   server checks again and decides. Both run tests/surveys/check_cases.json.
   Fields come from form.spec(): name, kind, relevant[], required, constraint, calculate,
   choice_filter, default, choices[{name, ...columns}], parameters{}. */
(function (root) {
  "use strict";
  var X = root.CaunoiExpressions;
  var INTEGER = /^-?\d{1,15}$/;
  var DECIMAL = /^-?(\d{1,15}(\.\d{1,10})?|\.\d{1,10})$/;
  var TEXT_LIMIT = 5000;
  var MULTI = ["select_multiple", "rank"];

  function answerable(field) { return ["note", "calculate", "hidden"].indexOf(field.kind) < 0; }
  function words(text) { return text.split(/\s+/).filter(function (w) { return w !== ""; }); }

  function run(text, ctx) { return X.runRaw(text, ctx); }
  function isTrue(text, ctx) {
    var lower = text.toLowerCase();
    if (lower === "yes" || lower === "true" || lower === "true()") { return true; }
    if (lower === "" || lower === "no" || lower === "false" || lower === "false()") { return false; }
    return X.toBool(run(text, ctx));
  }

  function isDate(value) {
    var m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
    if (!m || (value.length !== 10 && value.length !== 8)) { return false; }
    var y = +m[1], mo = +m[2], d = +m[3];
    if (y < 1) { return false; }
    var t = new Date(Date.UTC(2000, mo - 1, d));
    t.setUTCFullYear(y);
    return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
  }

  function rangeValues(field) {
    var p = field.parameters || {};
    var start = X.toNumber(p.start !== undefined ? p.start : "1");
    var end = X.toNumber(p.end !== undefined ? p.end : "10");
    var step = X.toNumber(p.step !== undefined ? p.step : "1") || 1;
    var found = [], at = start;
    while ((step > 0 ? at <= end : at >= end) && found.length < 1000) {
      found.push(X.numberText(at));
      at = Math.round((at + step) * 1e10) / 1e10;
    }
    return found;
  }

  function allowedChoices(field, ctx) {
    if (field.kind === "range") { return rangeValues(field); }
    var names = [];
    (field.choices || []).forEach(function (choice) {
      if (field.choice_filter) {
        var row = {};
        Object.keys(choice).forEach(function (k) { if (k !== "label") { row[k] = String(choice[k]); } });
        var keep = X.toBool(run(field.choice_filter,
          { values: ctx.values, current: "", today: ctx.today, item: row }));
        if (!keep) { return; }
      }
      names.push(String(choice.name));
    });
    return names;
  }

  /* What is wrong with a non-empty answer's type or choices: "" when nothing. */
  function typeError(field, value, ctx) {
    var kind = field.kind;
    if (kind === "integer" && !INTEGER.test(value)) { return "integer"; }
    if (kind === "decimal" && !DECIMAL.test(value)) { return "decimal"; }
    if (kind === "date" && !isDate(value)) { return "date"; }
    if (kind === "text" && Array.from(value).length > TEXT_LIMIT) { return "long"; }
    if ((kind === "select_one" || kind === "range") && allowedChoices(field, ctx).indexOf(value) < 0) {
      return "choice";
    }
    if (MULTI.indexOf(kind) >= 0) {
      var chosen = words(value), allowed = allowedChoices(field, ctx);
      if (chosen.some(function (c) { return allowed.indexOf(c) < 0; })) { return "choice"; }
      var unique = chosen.filter(function (c, i) { return chosen.indexOf(c) === i; });
      if (unique.length !== chosen.length) { return "duplicate"; }
      if (kind === "rank" && chosen.slice().sort().join(" ") !== allowed.slice().sort().join(" ")) {
        return "rank";
      }
    }
    return "";
  }

  function rawValue(field, raw) {
    var given = (raw[field.name] || []).map(function (v) { return String(v).trim(); })
      .filter(function (v) { return v !== ""; });
    if (MULTI.indexOf(field.kind) >= 0) { return given.join(" "); }
    return given.length ? given[0] : "";
  }

  /* raw: name -> list of given values. Returns {values, errors: name -> code, relevant}. */
  function check(fields, raw, today) {
    var values = {};
    fields.forEach(function (f) {
      if (f.kind === "hidden") { values[f.name] = f["default"] || ""; }
      else if (answerable(f)) { values[f.name] = rawValue(f, raw); }
    });
    var errors = {}, relevant = [];
    var ctx = { values: values, current: "", today: today, item: null };
    fields.forEach(function (f) {
      var applies = (f.relevant || []).every(function (c) { return isTrue(c, ctx); });
      if (f.kind === "calculate" && f.calculate) {
        values[f.name] = applies ? X.toString(run(f.calculate, ctx)) : "";
        return;
      }
      if (!answerable(f)) { return; }
      if (!applies) { values[f.name] = ""; return; }
      relevant.push(f.name);
      var value = values[f.name];
      ctx.current = value;
      if (value === "") {
        if (f.required && isTrue(f.required, ctx)) { errors[f.name] = "required"; }
        return;
      }
      var problem = typeError(f, value, ctx);
      if (!problem && f.constraint && !X.toBool(run(f.constraint, ctx))) { problem = "constraint"; }
      if (problem) { errors[f.name] = problem; }
    });
    var computed = {};
    fields.forEach(function (f) { if (f.kind === "calculate" || f.kind === "hidden") { computed[f.name] = true; } });
    var kept = {};
    Object.keys(values).forEach(function (k) {
      if (values[k] !== "" && (relevant.indexOf(k) >= 0 || computed[k])) { kept[k] = values[k]; }
    });
    return { values: kept, errors: errors, relevant: relevant };
  }

  root.CaunoiCheck = { check: check, typeError: typeError, allowedChoices: allowedChoices };
})(this);
