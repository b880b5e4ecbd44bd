/* ipcoord: the rules of a request body, checked in the browser before anything is sent. The rule tree is not
   written here: the server exports it from its msgspec schemas (schemas/rules.py, `rules_of`) into the page, and
   checks a refused body with the same walk (schemas.rules.check), so both sides name the same fields with the
   same codes. check(value, node) -> [[path, code, params]], paths as the API writes them (goods[0].quantity),
   each path once. */
(function () {
  "use strict";
  var DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})$/;
  var DATE = /^\d{4}-\d{2}-\d{2}$/;
  var UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;

  function join(path, name) { return path ? path + "." + name : name; }
  function isObject(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }

  function realDay(y, m, d) {
    var date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }

  function wellFormed(value, kind) {
    if (typeof value !== "string") return false;
    if (kind === "uuid") return UUID.test(value);
    var pattern = kind === "date" ? DATE : DATETIME;
    if (!pattern.test(value)) return false;
    var p = value.slice(0, 10).split("-").map(Number);
    if (!realDay(p[0], p[1], p[2])) return false;
    if (kind === "date") return true;
    var h = Number(value.slice(11, 13));
    var min = Number(value.slice(14, 16));
    var sec = value.length > 17 && value[16] === ":" ? Number(value.slice(17, 19)) : 0;
    return h < 24 && min < 60 && sec < 60;
  }

  function textProblem(value, node) {
    if (typeof value !== "string") return ["field.type", { expected: "str" }];
    var length = Array.from(value).length;  // characters, as Python counts them
    if (has(node, "min") && length < node.min) return [value ? "field.too_short" : "field.required", { limit: node.min }];
    if (has(node, "max") && length > node.max) return ["field.too_long", { limit: node.max }];
    if (node.pattern && !new RegExp(node.pattern).test(value)) return ["field.format", {}];
    return null;
  }

  function numberProblem(value, node) {
    var integral = node.t === "int";
    if (typeof value !== "number" || !isFinite(value) || (integral && !Number.isInteger(value))) {
      return ["field.type", { expected: integral ? "int" : "float" }];
    }
    if ((has(node, "ge") && value < node.ge) || (has(node, "gt") && value <= node.gt)) {
      return ["field.too_small", { limit: has(node, "ge") ? node.ge : node.gt }];
    }
    if ((has(node, "le") && value > node.le) || (has(node, "lt") && value >= node.lt)) {
      return ["field.too_large", { limit: has(node, "le") ? node.le : node.lt }];
    }
    return null;
  }

  function choiceProblem(value, values) {
    var kinds = values.map(function (v) { return typeof v; });
    if (kinds.indexOf(typeof value) < 0) return ["field.type", { expected: kinds.indexOf("string") >= 0 ? "str" : "int" }];
    return values.indexOf(value) >= 0 ? null : ["field.invalid_choice", {}];
  }

  function scalarProblem(value, node) {
    switch (node.t) {
      case "str": return textProblem(value, node);
      case "int": case "float": return numberProblem(value, node);
      case "enum": return choiceProblem(value, node.values);
      case "bool": return typeof value === "boolean" ? null : ["field.type", { expected: "bool" }];
      case "datetime": case "date": case "uuid": return wellFormed(value, node.t) ? null : ["field.format", {}];
      default: return null;
    }
  }

  function walk(value, node, path, out) {
    if (value === null || value === undefined) {
      if (!node["null"]) out.push([path, "field.required", {}]);
      return;
    }
    if (node.t === "struct") return walkStruct(value, node, path, out, null);
    if (node.t === "tagged") return walkTagged(value, node, path, out);
    if (node.t === "list") return walkList(value, node, path, out);
    var problem = scalarProblem(value, node);
    if (problem) out.push([path, problem[0], problem[1]]);
  }

  function walkTagged(value, node, path, out) {
    if (!isObject(value)) return out.push([path, "field.type", { expected: "object" }]);
    if (!has(value, node.tag)) return out.push([join(path, node.tag), "field.required", {}]);
    if (!has(node.of, value[node.tag])) return out.push([join(path, node.tag), "field.invalid_choice", {}]);
    walkStruct(value, node.of[value[node.tag]], path, out, node.tag);
  }

  function walkStruct(value, node, path, out, skip) {
    if (!isObject(value)) return out.push([path, "field.type", { expected: "object" }]);
    Object.keys(node.fields).forEach(function (name) {
      var field = node.fields[name];
      if (has(value, name)) walk(value[name], field, join(path, name), out);
      else if (field.req) out.push([join(path, name), "field.required", {}]);
    });
    (node.one_of || []).forEach(function (rule) {
      var missing = rule[0].every(function (name) { return value[name] === undefined || value[name] === null || value[name] === ""; });
      if (missing) out.push([join(path, rule[0][0]), rule[1], {}]);
    });
    if (node.closed) {
      Object.keys(value).forEach(function (k) {
        if (!has(node.fields, k) && k !== skip) out.push([join(path, k), "field.unknown", {}]);
      });
    }
  }

  function walkList(value, node, path, out) {
    if (!Array.isArray(value)) return out.push([path, "field.type", { expected: "array" }]);
    if (has(node, "min") && value.length < node.min) return out.push([path, "field.too_few", { limit: node.min }]);
    if (has(node, "max") && value.length > node.max) return out.push([path, "field.too_many", { limit: node.max }]);
    value.forEach(function (item, i) { walk(item, node.items, path + "[" + i + "]", out); });
  }

  function check(value, node) {
    var out = [];
    var seen = {};
    walk(value, node, "", out);
    return out.filter(function (p) {
      if (seen[p[0]]) return false;
      seen[p[0]] = true;
      return true;
    });
  }

  /* A catalogue text with its parameters: "Thiếu trường bắt buộc `{field}`." */
  function format(template, params) {
    return Object.keys(params).reduce(function (text, key) {
      return text.split("{" + key + "}").join(String(params[key]));
    }, template);
  }

  window.ipcoordRules = { check: check, format: format };
})();
