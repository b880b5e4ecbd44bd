/* ipcoord record form, enhanced: kind switch, goods lines with a live total, the sign-of-crime warning, a draft
   kept while typing, errors beside their fields, and submission to /api/incidents with the form's idempotency key
   (queued by offline.js when the connection is down). Place and photos: record-place.js, record-photos.js. The
   form works without these files; the server's validation stays the authority. */
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  var box = window.ipcoordOutbox;
  if (!form || !box || !window.ipcoordPlace || !window.ipcoordPhotos || !window.ipcoordFormErrors) return;
  var data = box.data;
  var text = box.text;
  var DRAFT_KEY = "ipcoord.draft." + data.user;
  var place = window.ipcoordPlace;
  var photos = window.ipcoordPhotos;
  var lines = document.getElementById("goods-lines");
  var lineTemplate = document.getElementById("goods-line-template");
  var saveButton = document.getElementById("save");
  var busy = false;
  var lastWarning = "";
  var saveTimer = null;
  document.documentElement.classList.add("js");

  function parseNumber(raw) {
    var value = raw.replace(/[₫\s\u00a0]/g, "");
    return /^(?:\d{1,3}(?:\.\d{3})+|\d+)$/.test(value) ? Number(value.replace(/\./g, "")) : null;
  }

  function vnd(value) {
    return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ".") + " ₫";
  }

  /* A phone's date-time input, or dd/mm/yyyy hh:mm typed by hand, in Lai Châu's time (UTC+7, no DST). */
  function isoDateTime(raw) {
    var m = raw.match(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/);
    if (m) return m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + (m[6] || "00") + "+07:00";
    m = raw.match(/^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2})$/);
    return m ? m[3] + "-" + m[2] + "-" + m[1] + "T" + m[4] + ":" + m[5] + ":00+07:00" : null;
  }

  function isoDate(raw) {
    var m = raw.match(/^(\d{2})\/(\d{2})\/(\d{4})$/);
    return m ? m[3] + "-" + m[2] + "-" + m[1] : raw;
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  function selected(name) {
    var el = form.elements[name];
    return el ? Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; }) : [];
  }

  /* ---- Kind ---- */
  function showKind(kind) {
    form.dataset.kind = kind;
    form.querySelectorAll(".kind-fields").forEach(function (fieldset) {
      fieldset.hidden = fieldset.disabled = fieldset.dataset.kind !== kind;
    });
    update();
  }
  form.elements.kind.addEventListener("change", function () { showKind(form.elements.kind.value); });

  /* ---- Goods lines and the total ---- */
  function addLine(values) {
    var index = lines.children.length;
    var html = lineTemplate.innerHTML.split("__i__").join(index).split("__n__").join(index + 1);
    lines.insertAdjacentHTML("beforeend", html);
    var li = lines.lastElementChild;
    Object.keys(values || {}).forEach(function (name) {
      var el = li.querySelector('[data-field="goods.' + index + "." + name + '"]');
      if (el) el.value = values[name];
    });
    return li;
  }

  function lineValues(li) {
    var values = {};
    li.querySelectorAll("[data-field]").forEach(function (el) { values[el.dataset.field.split(".")[2]] = el.value; });
    return values;
  }

  function setLines(all) {
    lines.textContent = "";
    (all.length ? all : [{}]).forEach(addLine);
    update();
  }

  function allLines() { return Array.prototype.map.call(lines.children, lineValues); }

  function isBlank(values) {
    return Object.keys(values).every(function (k) { return !values[k].trim(); });
  }

  function goodsTotal() {
    var total = 0;
    Array.prototype.forEach.call(lines.children, function (li) {
      var values = lineValues(li);
      var value = (parseNumber(values.quantity || "") || 0) * (parseNumber(values.unit_price_vnd || "") || 0);
      li.querySelector(".line-value").textContent = value ? vnd(value) : "–";
      li.querySelector(".remove-line").hidden = lines.children.length < 2;
      total += value;
    });
    document.getElementById("goods-total").textContent = vnd(total);
    return total;
  }

  /* The thresholds the server will apply (same acts, same ≥); the service decides, this only warns early. */
  function crimeWarning(total) {
    var acts = selected("infringement_acts");
    var measures = {
      goods_value: form.dataset.kind === "seizure" ? total : null,
      illegal_profit: parseNumber(form.elements.illegal_profit_vnd.value),
      damage: parseNumber(form.elements.damage_vnd.value)
    };
    var messages = data.thresholds.filter(function (t) {
      var value = measures[t.measure];
      return value !== null && value >= t.threshold && t.acts.some(function (a) { return acts.indexOf(a) >= 0; });
    }).map(function (t) {
      return text("crime_warning", {
        measure: text("measure_" + t.measure), value: vnd(measures[t.measure]),
        threshold: vnd(t.threshold), article: t.article
      });
    });
    var warning = document.getElementById("crime-warning");
    if (messages.join("\n") === lastWarning) return;
    lastWarning = messages.join("\n");
    warning.textContent = "";
    messages.forEach(function (message) {
      var p = document.createElement("p");
      p.textContent = message;
      warning.appendChild(p);
    });
    warning.hidden = messages.length === 0;
  }

  function update() {
    crimeWarning(lines ? goodsTotal() : 0);
  }

  document.getElementById("add-line").addEventListener("click", function (event) {
    event.preventDefault();
    addLine().querySelector("input").focus();
    update();
    saveDraft();
  });
  lines.addEventListener("click", function (event) {
    if (!event.target.classList.contains("remove-line")) return;
    var gone = event.target.closest(".goods-line");
    setLines(Array.prototype.filter.call(lines.children, function (li) { return li !== gone; }).map(lineValues));
    lines.querySelector("input").focus();
    saveDraft();
  });

  /* ---- The draft, kept on the phone while typing ---- */
  function snapshot() {
    var fields = {};
    form.querySelectorAll("[data-field], #f-kind").forEach(function (el) {
      if (el.type === "checkbox") fields[el.id] = el.checked;
      else if (el.multiple) fields[el.id] = selected(el.name);
      else fields[el.id] = el.value;
    });
    return { kind: form.elements.kind.value, lines: lines.children.length, fields: fields, gps: place.summary() };
  }

  function restore(snap) {
    form.elements.kind.value = snap.kind;
    lines.textContent = "";
    for (var i = 0; i < Math.max(1, snap.lines); i += 1) addLine();
    Object.keys(snap.fields).forEach(function (id) {
      var el = document.getElementById(id);
      var value = snap.fields[id];
      if (!el) return;
      if (el.type === "checkbox") el.checked = Boolean(value);
      else if (el.multiple) Array.prototype.forEach.call(el.options, function (o) { o.selected = value.indexOf(o.value) >= 0; });
      else el.value = value;
    });
    place.restore(snap.gps);
    showKind(snap.kind);
  }

  function saveDraft() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(function () {
      try {
        localStorage.setItem(DRAFT_KEY, JSON.stringify(snapshot()));
      } catch (e) {
        box.status([text("storage_full")], "warning");
      }
    }, 300);
  }

  function clearDraft() {
    clearTimeout(saveTimer);
    localStorage.removeItem(DRAFT_KEY);
    return box.draftPhotos.save([]).catch(function () {});
  }

  form.addEventListener("input", function () { update(); saveDraft(); });
  form.addEventListener("change", function () { update(); saveDraft(); });

  var errors = window.ipcoordFormErrors(form, data, box);
  var clearErrors = errors.clear;
  var showErrors = errors.show;
  var showApiErrors = errors.showApi;
  var ruleErrors = errors.fromRules;

  /* ---- Submission ---- */
  function collect() {
    var body = { kind: form.elements.kind.value };
    var errors = [];
    form.querySelectorAll("[data-field]").forEach(function (el) {
      if (el.matches(":disabled")) return;
      var type = el.dataset.type;
      var raw = el.value.trim();
      var value = raw;
      if (type === "bool") value = el.checked;
      else if (type === "choices") value = selected(el.name);
      else if (!raw || type === "unit") {
        if (raw) body.unit = { generation: "2025", code: raw };
        return;
      } else if (type === "int" || type === "vnd") value = parseNumber(raw);
      else if (type === "datetime") value = isoDateTime(raw);
      else if (type === "date") value = isoDate(raw);
      else if (type === "coord") value = Number(raw);
      if (value === null) errors.push([el, text(type === "datetime" ? "datetime" : "number")]);
      else if (!(type === "choices" && !value.length)) put(body, el.dataset.field.split("."), value);
    });
    if (body.external_ref) {  // the form's one external number is the API's first of `external_refs`
      body.external_refs = [body.external_ref];
      delete body.external_ref;
    }
    if (body.goods) {
      body.goods = Object.keys(body.goods).sort(function (a, b) { return a - b; }).map(function (k) { return body.goods[k]; });
    }
    return { body: body, errors: errors };
  }

  function put(target, path, value) {
    var head = path[0];
    if (path.length === 1) target[head] = value;
    else put(target[head] = target[head] || {}, path.slice(1), value);
  }

  function itemLabel(body) {
    var kind = form.elements.kind.selectedOptions[0].textContent;
    var when = (body.occurred_at || "").slice(0, 16).replace(/^(\d{4})-(\d{2})-(\d{2})T/, "$3/$2/$1 ");
    return [kind, body.record_number || body.declaration_number || "", when].filter(Boolean).join(" · ");
  }

  function resetForm() {
    form.reset();
    photos.clear();
    setLines([]);
    place.clear();
    form.elements.idempotency_key.value = newKey();
    showKind(form.elements.kind.value);
    window.scrollTo(0, 0);
    return clearDraft();
  }

  function queueIt(item) {
    return box.enqueue(item).then(resetForm, function () {
      box.status([text("storage_full")], "warning");
      throw new Error("not queued");
    });
  }

  function submit() {
    clearErrors();
    if (form.dataset.kind === "seizure") setLines(allLines().filter(function (v) { return !isBlank(v); }));
    var collected = collect();
    var errors = collected.errors.concat(ruleErrors(collected.body, collected.errors));
    if (errors.length) return showErrors(errors);
    var item = {
      key: form.elements.idempotency_key.value, body: collected.body, label: itemLabel(collected.body),
      photos: photos.list(), snapshot: snapshot()
    };
    busy = saveButton.disabled = true;
    box.status([text("sending")]);
    var attempt = navigator.onLine ? box.send(item) : Promise.reject(new TypeError("offline"));
    attempt.then(function (sent) {
      return clearDraft().then(function () { location.assign("/incidents/mine?recorded=" + sent.incident_id); });
    }, function (error) {
      busy = saveButton.disabled = false;
      if (error instanceof box.HttpError && error.status === 401) return queueIt(item).then(box.showExpired);
      if (box.isPermanent(error) && !item.incident_id) {
        document.getElementById("record-status").textContent = "";
        if (error.body && error.body.code === "idempotency.key_reused") form.elements.idempotency_key.value = newKey();
        return showApiErrors(error.body);
      }
      return queueIt(item).then(function () { box.status([text("queued")], "warning"); box.flush(); });
    }).catch(function () {});
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!busy) submit();
  });

  /* ---- Start: a submission to correct, or the draft, or the page the server sent back ---- */
  var resume = new URLSearchParams(location.search).get("resume");
  if (resume) {
    box.queue.get(resume).then(function (item) {
      if (!item || item.user !== data.user) return;
      restore(item.snapshot);
      photos.set(item.photos);
      showApiErrors(item.error);
      return box.queue.remove(item.key).then(box.render);
    }).catch(function () {});
  } else if (data.fresh) {
    // A blank form may come from the phone's copy of the page (service worker): never reuse its key.
    form.elements.idempotency_key.value = newKey();
    var saved = localStorage.getItem(DRAFT_KEY);
    if (saved) {
      restore(JSON.parse(saved));
      box.status([text("draft_restored")]);
    }
    photos.load();
  } else {
    saveDraft();
  }
  update();
})();
