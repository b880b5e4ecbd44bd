/* ipcoord record form: errors beside their fields and in a summary, as the server shows them, whether found by
   the schema's rules in the page (rules.js) before sending or by the API after. Used by record.js. */
(function () {
  "use strict";
  if (!window.ipcoordRules) return;
  var BLOCKS = { location: "place", unit: "place", file: "photos", photos: "photos", goods: "goods", kind: "form" };

  window.ipcoordFormErrors = function (form, data, box) {
    /* ---- Errors beside their fields, as the server shows them ---- */
    function targetOf(path) {
      var current = (path || "").replace(/\[(\d+)\]/g, ".$1").replace(/^external_refs\.0\./, "external_ref.");
      while (current) {
        var el = form.querySelector('[data-field="' + current + '"]:not(:disabled):not([type=hidden])');
        if (el) return { el: el, path: current };
        if (BLOCKS[current]) return { block: BLOCKS[current], path: current };
        current = current.indexOf(".") >= 0 ? current.slice(0, current.lastIndexOf(".")) : "";
      }
      return { block: "form", path: "" };
    }

    function clearErrors() {
      form.querySelectorAll(".field-error").forEach(function (p) {
        if (p.classList.contains("block-error")) {
          p.hidden = true;
          p.textContent = "";
        } else {
          p.remove();
        }
      });
      form.querySelectorAll("[aria-invalid]").forEach(function (el) {
        el.removeAttribute("aria-invalid");
        var ids = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
          return id && !/-error$/.test(id) && id !== "place-error";
        });
        if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
        else el.removeAttribute("aria-describedby");
      });
      var summary = document.getElementById("error-summary");
      if (summary) summary.remove();
    }

    /* [ [path, message] ]: each shown once beside its input (or block), all listed in a summary at the top. */
    function showErrors(errors) {
      var shown = [];
      errors.forEach(function (pair) {
        var target = pair[0] instanceof Element ? { el: pair[0] } : targetOf(pair[0]);
        var label = target.el ? target.el.dataset.label : (data.labels[target.path] || target.path);
        var message = pair[1].split("`" + pair[0] + "`").join("“" + label + "”");
        var anchor = target.el ? target.el.id : (target.block === "form" ? "record-form" : target.block);
        if (target.el && !document.getElementById(target.el.id + "-error")) {
          var p = document.createElement("p");
          p.className = "field-error";
          p.id = target.el.id + "-error";
          p.textContent = message;
          target.el.insertAdjacentElement("afterend", p);
          target.el.setAttribute("aria-invalid", "true");
          var ids = (target.el.getAttribute("aria-describedby") || "") + " " + p.id;
          target.el.setAttribute("aria-describedby", ids.trim());
        } else if (target.block) {
          var block = document.getElementById(target.block + "-error");
          if (block.hidden) {
            block.textContent = message;
            block.hidden = false;
          }
        }
        var repeated = shown.some(function (done) { return done[0] === anchor && done[1] === message; });
        if (!repeated) shown.push([anchor, message]);
      });
      shown.sort(function (a, b) { return pagePosition(a[0]) - pagePosition(b[0]); });
      var summary = document.createElement("div");
      summary.className = "error-summary";
      summary.id = "error-summary";
      summary.setAttribute("role", "alert");
      summary.tabIndex = -1;
      var title = document.createElement("h2");
      title.textContent = data.errorsTitle;
      var list = document.createElement("ul");
      shown.forEach(function (pair) {
        var li = document.createElement("li");
        li.appendChild(box.link("#" + pair[0], pair[1]));
        list.appendChild(li);
      });
      summary.appendChild(title);
      summary.appendChild(list);
      form.parentNode.insertBefore(summary, form);
      var first = shown.length ? focusable(shown[0][0]) : null;
      (first || summary).focus();
    }

    /* Errors are listed in the order of their fields on the page. */
    function pagePosition(id) {
      var el = document.getElementById(id);
      var all = Array.prototype.slice.call(form.querySelectorAll("[id]"));
      return el ? all.indexOf(el) : -1;
    }

    /* The control to put the cursor in for an error: the input itself, or the first control of its block. */
    function focusable(id) {
      var el = document.getElementById(id);
      if (!el || el === form) return null;
      if (el.matches("input:not([type=hidden]), select, textarea, button")) return el;
      return el.querySelector("input:not([type=hidden]):not([hidden]), select, textarea, button:not([hidden])");
    }

    function showApiErrors(body) {
      if (!body) return;
      var lang = document.documentElement.lang === "en" ? "message_en" : "message_vi";
      var items = body.errors && body.errors.length ? body.errors : [body];
      showErrors(items.map(function (e) { return [e.field || "form", e[lang] || e.message_vi]; }));
    }

    /* Every rule the server's schema holds (exported into the page, checked by rules.js), except for the inputs
       whose typed text could not be read at all: those already say why. */
    function ruleErrors(body, unreadable) {
      var skip = unreadable.map(function (pair) { return pair[0].dataset.field; });
      return window.ipcoordRules.check(body, data.rules).filter(function (problem) {
        return skip.indexOf(problem[0].replace(/\[(\d+)\]/g, ".$1")) < 0;
      }).map(function (problem) {
        var params = Object.assign({ field: problem[0] }, problem[2]);
        return [problem[0], window.ipcoordRules.format(data.ruleTexts[problem[1]] || problem[1], params)];
      });
    }


    return { clear: clearErrors, show: showErrors, showApi: showApiErrors, fromRules: ruleErrors };
  };
})();
