/* The XPath subset XLSForm uses: the same grammar and semantics as
   caunoi/surveys/expressions.py, parsed here (never eval), for immediate feedback.
   Both are tested against tests/surveys/expression_cases.json. */
(function (root) {
  "use strict";
  var FUNCTIONS = {
    "selected": [2, 2], "count-selected": [1, 1], "string-length": [1, 1], "regex": [2, 2],
    "if": [3, 3], "coalesce": [2, 2], "concat": [1, -1], "today": [0, 0], "not": [1, 1],
    "true": [0, 0], "false": [0, 0], "number": [1, 1], "string": [1, 1], "int": [1, 1]
  };
  var TOKEN = /^\s*(?:(\d+(?:\.\d*)?|\.\d+)|('[^']*'|"[^"]*")|(\$\{[A-Za-z_][\w.-]*\})|(!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\.\.|\.|\/)|([A-Za-z_][\w.-]*))/;
  var KINDS = ["num", "str", "ref", "op", "name"];

  function ExpressionError(message) { this.message = message; this.name = "ExpressionError"; }
  ExpressionError.prototype = Object.create(Error.prototype);

  function tokens(text) {
    var found = [], at = 0;
    while (at < text.length) {
      var rest = text.slice(at);
      if (rest.trim() === "") { break; }
      var m = TOKEN.exec(rest);
      if (!m || m[0].length === 0) { throw new ExpressionError("bad character at " + (at + 1)); }
      for (var i = 1; i <= 5; i++) {
        if (m[i] !== undefined) {
          found.push([KINDS[i - 1], m[i], at + m[0].length - m[i].length]);
          break;
        }
      }
      at += m[0].length;
    }
    return found;
  }

  function Parser(text) { this.tokens = tokens(text); this.at = 0; }
  Parser.prototype.peek = function () { return this.at < this.tokens.length ? this.tokens[this.at] : null; };
  Parser.prototype.take = function () {
    var t = this.peek();
    if (t === null) { throw new ExpressionError("unexpected end"); }
    this.at += 1; return t;
  };
  Parser.prototype.isWord = function (words) {
    var t = this.peek(); return t !== null && t[0] === "name" && words.indexOf(t[1]) >= 0;
  };
  Parser.prototype.isOp = function (ops) {
    var t = this.peek(); return t !== null && t[0] === "op" && ops.indexOf(t[1]) >= 0;
  };
  Parser.prototype.expect = function (op) {
    var t = this.take();
    if (t[0] !== "op" || t[1] !== op) { throw new ExpressionError("expected " + op); }
  };
  Parser.prototype.parse = function () {
    if (this.tokens.length === 0) { throw new ExpressionError("empty"); }
    var node = this.or_();
    if (this.peek() !== null) { throw new ExpressionError("extra " + this.peek()[1]); }
    return node;
  };
  Parser.prototype.or_ = function () {
    var node = this.and_();
    while (this.isWord(["or"])) { this.take(); node = ["bin", "or", node, this.and_()]; }
    return node;
  };
  Parser.prototype.and_ = function () {
    var node = this.equality();
    while (this.isWord(["and"])) { this.take(); node = ["bin", "and", node, this.equality()]; }
    return node;
  };
  Parser.prototype.equality = function () {
    var node = this.relational();
    while (this.isOp(["=", "!="])) { var op = this.take()[1]; node = ["bin", op, node, this.relational()]; }
    return node;
  };
  Parser.prototype.relational = function () {
    var node = this.additive();
    while (this.isOp(["<", "<=", ">", ">="])) { var op = this.take()[1]; node = ["bin", op, node, this.additive()]; }
    return node;
  };
  Parser.prototype.additive = function () {
    var node = this.multiplicative();
    while (this.isOp(["+", "-"])) { var op = this.take()[1]; node = ["bin", op, node, this.multiplicative()]; }
    return node;
  };
  Parser.prototype.multiplicative = function () {
    var node = this.unary();
    while (this.isOp(["*"]) || this.isWord(["div", "mod"])) {
      var op = this.take()[1]; node = ["bin", op, node, this.unary()];
    }
    return node;
  };
  Parser.prototype.unary = function () {
    if (this.isOp(["-"])) { this.take(); return ["neg", this.unary()]; }
    return this.primary();
  };
  Parser.prototype.primary = function () {
    var t = this.take(), kind = t[0], text = t[1];
    if (kind === "num") { return ["num", parseFloat(text)]; }
    if (kind === "str") { return ["str", text.slice(1, -1)]; }
    if (kind === "ref") { return ["ref", text.slice(2, -1)]; }
    if (kind === "op" && text === "(") { var node = this.or_(); this.expect(")"); return node; }
    if (kind === "op" && (text === "." || text === ".." || text === "/")) { return this.path(text); }
    if (kind === "name") {
      if (this.isOp(["("])) { return this.call(text); }
      return this.path(text);
    }
    throw new ExpressionError("unexpected " + text);
  };
  Parser.prototype.path = function (first) {
    var steps = [first], wantsStep = first === "/";
    for (;;) {
      var t = this.peek();
      if (wantsStep) {
        if (t === null || !((t[0] === "name" && !FUNCTIONS.hasOwnProperty(t[1])) ||
            (t[0] === "op" && (t[1] === "." || t[1] === "..")))) {
          throw new ExpressionError("bad path");
        }
        steps.push(this.take()[1]); wantsStep = false;
      } else if (this.isOp(["/"])) { this.take(); wantsStep = true; } else { break; }
    }
    var last = steps[steps.length - 1];
    if (last === ".") { return ["cur"]; }
    if (last === "..") { throw new ExpressionError("bad path"); }
    return ["path", last];
  };
  Parser.prototype.call = function (name) {
    if (!FUNCTIONS.hasOwnProperty(name)) { throw new ExpressionError("unknown function " + name); }
    this.expect("(");
    var args = [];
    if (!this.isOp([")"])) {
      args.push(this.or_());
      while (this.isOp([","])) { this.take(); args.push(this.or_()); }
    }
    this.expect(")");
    var limits = FUNCTIONS[name];
    if (args.length < limits[0] || (limits[1] >= 0 && args.length > limits[1])) {
      throw new ExpressionError("wrong number of arguments for " + name);
    }
    return ["call", name, args];
  };

  var cache = {};
  function parse(text) {
    if (!cache.hasOwnProperty(text)) { cache[text] = new Parser(text).parse(); }
    return cache[text];
  }

  /* Values: strings, numbers (wrapped so they differ from strings) and booleans. */
  function Num(v) { this.v = v; }
  var NUMBER = /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/;
  var DATE = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/;

  function toNumber(value) {
    if (typeof value === "boolean") { return value ? 1 : 0; }
    if (value instanceof Num) { return value.v; }
    if (NUMBER.test(value)) { return parseFloat(value); }
    var d = DATE.exec(value);
    if (d) {
      var y = +d[1], mo = +d[2], da = +d[3];
      var t = Date.UTC(y, mo - 1, da), check = new Date(t);
      if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== da) { return NaN; }
      return Math.round(t / 86400000);
    }
    return NaN;
  }
  function toString(value) {
    if (typeof value === "boolean") { return value ? "true" : "false"; }
    if (value instanceof Num) {
      var v = value.v;
      if (isNaN(v)) { return "NaN"; }
      if (!isFinite(v)) { return v > 0 ? "Infinity" : "-Infinity"; }
      if (v === Math.trunc(v) && Math.abs(v) < 1e21) { return (v === 0 ? 0 : v).toFixed(0); }
      return String(v);
    }
    return value;
  }
  function toBool(value) {
    if (typeof value === "boolean") { return value; }
    if (value instanceof Num) { return !(value.v === 0 || isNaN(value.v)); }
    return value !== "";
  }
  function equal(a, b) {
    if (typeof a === "boolean" || typeof b === "boolean") { return toBool(a) === toBool(b); }
    if (a instanceof Num || b instanceof Num) { return toNumber(a) === toNumber(b); }
    return a === b;
  }
  function divide(a, b) {
    if (b === 0) {
      if (a === 0 || isNaN(a)) { return NaN; }
      return (a > 0) === (1 / b > 0) ? Infinity : -Infinity;
    }
    return a / b;
  }
  function modulo(a, b) {
    if (b === 0 || !isFinite(a) || isNaN(b)) { return NaN; }
    if (!isFinite(b)) { return a; }
    return a % b;
  }

  function evaluate(node, ctx) {
    switch (node[0]) {
      case "num": return new Num(node[1]);
      case "str": return node[1];
      case "ref": return ctx.values.hasOwnProperty(node[1]) ? ctx.values[node[1]] : "";
      case "path":
        if (ctx.item && ctx.item.hasOwnProperty(node[1])) { return ctx.item[node[1]]; }
        return ctx.values.hasOwnProperty(node[1]) ? ctx.values[node[1]] : "";
      case "cur": return ctx.current || "";
      case "neg": return new Num(-toNumber(evaluate(node[1], ctx)));
      case "bin": return binary(node[1], node[2], node[3], ctx);
      default: return call(node[1], node[2], ctx);
    }
  }
  function binary(op, l, r, ctx) {
    if (op === "or") { return toBool(evaluate(l, ctx)) || toBool(evaluate(r, ctx)); }
    if (op === "and") { return toBool(evaluate(l, ctx)) && toBool(evaluate(r, ctx)); }
    var left = evaluate(l, ctx), right = evaluate(r, ctx);
    if (op === "=") { return equal(left, right); }
    if (op === "!=") { return !equal(left, right); }
    var a = toNumber(left), b = toNumber(right);
    switch (op) {
      case "<": return a < b;
      case "<=": return a <= b;
      case ">": return a > b;
      case ">=": return a >= b;
      case "+": return new Num(a + b);
      case "-": return new Num(a - b);
      case "*": return new Num(a * b);
      case "div": return new Num(divide(a, b));
      default: return new Num(modulo(a, b));
    }
  }
  function words(text) { return text.split(/\s+/).filter(function (w) { return w !== ""; }); }
  function call(name, args, ctx) {
    if (name === "if") { return evaluate(toBool(evaluate(args[0], ctx)) ? args[1] : args[2], ctx); }
    var v = args.map(function (a) { return evaluate(a, ctx); });
    switch (name) {
      case "selected": return words(toString(v[0])).indexOf(toString(v[1]).trim()) >= 0;
      case "count-selected": return new Num(words(toString(v[0])).length);
      case "string-length": return new Num(Array.from(toString(v[0])).length);
      case "regex":
        try { return new RegExp(toString(v[1]), "u").test(toString(v[0])); } catch (e) { return false; }
      case "coalesce": var first = toString(v[0]); return first !== "" ? first : toString(v[1]);
      case "concat": return v.map(toString).join("");
      case "today": return ctx.today;
      case "not": return !toBool(v[0]);
      case "true": return true;
      case "false": return false;
      case "number": return new Num(toNumber(v[0]));
      case "string": return toString(v[0]);
      default:
        var n = toNumber(v[0]);
        return new Num(isFinite(n) ? Math.trunc(n) : n);
    }
  }
  /* Results leave as plain JS values: numbers as numbers, so callers can compare. */
  function plain(value) { return value instanceof Num ? value.v : value; }

  root.CaunoiExpressions = {
    parse: parse,
    ExpressionError: ExpressionError,
    run: function (text, ctx) { return plain(evaluate(parse(text), ctx)); },
    runRaw: function (text, ctx) { return evaluate(parse(text), ctx); },
    toString: toString,
    toBool: toBool,
    toNumber: toNumber,
    numberText: function (n) { return toString(new Num(n)); }
  };
})(this);
