/* ipcoord: incidents recorded on a weak connection. Each submission waits in IndexedDB (photos as Blobs) until it
   is sent to /api/incidents with its Idempotency-Key, so a retry after a cut connection stores it once; the
   "Đang chờ gửi (n)" list shows what is still on this phone. Used by the record form and "My incidents". */
(function () {
  "use strict";
  var holder = document.getElementById("record-data");
  if (!holder || !window.indexedDB || !window.fetch || !window.Promise) return;
  var data = JSON.parse(holder.textContent);
  var DB_NAME = "ipcoord";
  var OUTBOX = "outbox";
  var DRAFTS = "drafts";
  var FIRST_DELAY = 2000;
  var MAX_DELAY = 60000;
  var REQUEST_TIMEOUT = 30000;
  var UPLOAD_TIMEOUT = 120000;
  var delay = FIRST_DELAY;
  var timer = null;
  var running = false;
  var again = false;
  var expired = false;

  function text(name, params) {
    var value = data.texts[name] || name;
    Object.keys(params || {}).forEach(function (key) {
      value = value.split("{" + key + "}").join(String(params[key]));
    });
    return value;
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(OUTBOX, { keyPath: "key" });
        request.result.createObjectStore(DRAFTS, { keyPath: "user" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  /* One transaction on one store; resolves with the request's result once the transaction is committed. */
  function transact(store, mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var request = action(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  var queue = {
    all: function () {
      return transact(OUTBOX, "readonly", function (s) { return s.getAll(); }).then(function (items) {
        return items.filter(function (i) { return i.user === data.user; })
          .sort(function (a, b) { return a.created - b.created; });
      });
    },
    put: function (item) { return transact(OUTBOX, "readwrite", function (s) { return s.put(item); }); },
    get: function (key) { return transact(OUTBOX, "readonly", function (s) { return s.get(key); }); },
    remove: function (key) { return transact(OUTBOX, "readwrite", function (s) { return s.delete(key); }); }
  };

  var draftPhotos = {
    load: function () {
      return transact(DRAFTS, "readonly", function (s) { return s.get(data.user); })
        .then(function (row) { return row ? row.photos : []; });
    },
    save: function (photos) {
      return transact(DRAFTS, "readwrite", function (s) { return s.put({ user: data.user, photos: photos }); });
    }
  };

  function csrfToken() {
    var match = document.cookie.match(/(?:^|; )ipcoord_csrf=([^;]*)/);
    if (match) return decodeURIComponent(match[1]);
    var field = document.querySelector("input[name=_csrf_token]");
    return field ? field.value : "";
  }

  function HttpError(status, body) {
    this.status = status;
    this.body = body || {};
    this.message = this.body.message_vi || ("HTTP " + status);
  }

  /* A request to the JSON API: an HttpError for any answer but 2xx; a TypeError or an AbortError when the network
     is down or too slow (a 3G signal can hang a request for minutes: give up and retry with the same key). */
  function api(method, url, body, headers, timeout) {
    var all = Object.assign({ "Accept": "application/json", "x-csrftoken": csrfToken() }, headers || {});
    var abort = window.AbortController ? new AbortController() : null;
    var timer = abort ? setTimeout(function () { abort.abort(); }, timeout || REQUEST_TIMEOUT) : null;
    var options = { method: method, body: body, headers: all, credentials: "same-origin" };
    if (abort) options.signal = abort.signal;
    return fetch(url, options).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (payload) {
        if (!r.ok) throw new HttpError(r.status, payload);
        return payload;
      });
    }).finally(function () { clearTimeout(timer); });
  }

  function isPermanent(error) {
    return error instanceof HttpError && error.status >= 400 && error.status < 500 &&
      [401, 408, 429].indexOf(error.status) < 0;
  }

  /* Photos a retry finds already stored (same name) are not sent twice; a refused photo is dropped and noted. */
  function sendPhotos(item) {
    if (!item.photos.length) return Promise.resolve(item);
    var url = "/api/incidents/" + item.incident_id + "/attachments";
    return api("GET", url).then(function (stored) {
      var have = stored.map(function (a) { return a.file_name; });
      return item.photos.reduce(function (chain, photo) {
        return chain.then(function () {
          if (have.indexOf(photo.name) >= 0) return;
          var form = new FormData();
          form.append("file", photo.blob, photo.name);
          return api("POST", url, form, {}, UPLOAD_TIMEOUT).catch(function (error) {
            if (!isPermanent(error)) throw error;
            item.photo_errors = (item.photo_errors || []).concat([error.body]);
          });
        });
      }, Promise.resolve()).then(function () { return item; });
    });
  }

  /* Send one submission: the incident once per key, then its photos. */
  function send(item) {
    var stored = item.incident_id ? Promise.resolve(item) : api("POST", "/api/incidents", JSON.stringify(item.body), {
      "Content-Type": "application/json",
      "Idempotency-Key": item.key
    }).then(function (out) {
      item.incident_id = out.id;
      item.crime = out.crime_signs.length > 0;
      return item;
    });
    return stored.then(sendPhotos);
  }

  function emit(name, item) {
    document.dispatchEvent(new CustomEvent("ipcoord:" + name, { detail: item }));
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
    delay = Math.min(delay * 2, MAX_DELAY);
  }

  function withLock(task) {
    if (navigator.locks && navigator.locks.request) return navigator.locks.request("ipcoord-outbox", task);
    return task();
  }

  /* Send every waiting submission in order; stop at the first network failure and try again later. */
  function sendWaiting() {
    return queue.all().then(function (items) {
      return items.filter(function (i) { return !i.failed; }).reduce(function (chain, item) {
        return chain.then(function (stop) {
          if (stop) return true;
          return send(item).then(function () {
            return queue.remove(item.key).then(function () { delay = FIRST_DELAY; emit("sent", item); return false; });
          }, function (error) { return settle(item, error); });
        });
      }, Promise.resolve(false));
    });
  }

  /* After a failed send: true to stop for now. */
  function settle(item, error) {
    if (error instanceof HttpError && error.status === 401) {
      showExpired();
      return true;
    }
    if (isPermanent(error)) {
      item.failed = true;
      item.error = error.body;
      return queue.put(item).then(function () { emit("failed", item); return false; });
    }
    item.attempts = (item.attempts || 0) + 1;
    item.last_error = { at: Date.now(), message: describeFailure(error) };
    return queue.put(item).then(function () { schedule(); return true; });
  }

  /* Why a send did not go through, in the reader's language: the network, or the server's own words. */
  function describeFailure(error) {
    if (error instanceof HttpError) return errorText(error.body) || text("error_http", { status: error.status });
    return text("error_network");
  }

  function clock(ms) {
    var d = new Date(ms);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  /* "Gửi lại": try every waiting submission now instead of at the next back-off tick. */
  function sendAgain() {
    delay = FIRST_DELAY;
    clearTimeout(timer);
    status([text("sending")]);
    return flush();
  }

  function retryButton(section) {
    var button = section.querySelector(".outbox-retry");
    if (!button) {
      button = document.createElement("button");
      button.type = "button";
      button.className = "secondary outbox-retry";
      button.textContent = text("retry");
      button.addEventListener("click", sendAgain);
      section.appendChild(button);
    }
    return button;
  }

  function flush() {
    if (expired) return Promise.resolve();
    if (running) {
      again = true;  // something was queued during this run: look once more when it ends
      return Promise.resolve();
    }
    running = true;
    again = false;
    return withLock(sendWaiting).catch(function () { schedule(); }).then(function () {
      running = false;
      return again ? flush() : render();
    });
  }

  function enqueue(item) {
    item.user = data.user;
    item.created = item.created || Date.now();
    return queue.put(item).then(render);
  }

  function status(parts, kind) {
    var box = document.getElementById("record-status");
    if (!box) return;
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "notice" + (kind ? " " + kind : "");
    parts.forEach(function (part) {
      if (typeof part === "string") p.appendChild(document.createTextNode(part));
      else p.appendChild(part);
    });
    box.appendChild(p);
  }

  function link(href, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    return a;
  }

  function showExpired() {
    expired = true;
    status([text("expired") + " ", link(data.loginUrl, text("login_again"))], "warning");
    render();
  }

  function errorText(body) {
    if (!body) return "";
    var lang = document.documentElement.lang === "en" ? "message_en" : "message_vi";
    return body[lang] || body.message_vi || "";
  }

  /* The "Đang chờ gửi (n)" list: each submission still on this phone, and why it has not gone yet. */
  function render() {
    var section = document.getElementById("outbox");
    if (!section) return Promise.resolve();
    return queue.all().then(function (items) {
      section.hidden = items.length === 0;
      document.getElementById("outbox-title").textContent = text("waiting", { n: items.length });
      var list = section.querySelector("ul");
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = item.failed ? "failed" : "waiting";
        li.appendChild(document.createTextNode(item.label + " — "));
        if (item.failed) {
          li.appendChild(document.createTextNode(text("failed", { message: errorText(item.error) }) + " "));
          li.appendChild(link("/incidents/new?resume=" + encodeURIComponent(item.key), text("open_again")));
        } else {
          var state = expired ? "waiting_login" : (navigator.onLine ? "sending" : "offline");
          li.appendChild(document.createTextNode(text(state)));
          if (item.last_error) {
            var why = document.createElement("span");
            why.className = "last-error";
            why.textContent = " " + text("last_error", { time: clock(item.last_error.at), message: item.last_error.message });
            li.appendChild(why);
          }
        }
        list.appendChild(li);
      });
      retryButton(section).hidden = expired || !items.some(function (i) { return !i.failed; });
    }).catch(function () { section.hidden = true; });
  }

  document.addEventListener("ipcoord:sent", function (event) {
    status([text("sent") + " ", link("/incidents/mine?recorded=" + event.detail.incident_id, text("mine_link"))]);
  });
  window.addEventListener("online", function () { delay = FIRST_DELAY; flush(); });
  window.addEventListener("offline", render);

  window.ipcoordOutbox = {
    data: data,
    text: text,
    api: api,
    send: send,
    HttpError: HttpError,
    isPermanent: isPermanent,
    enqueue: enqueue,
    queue: queue,
    draftPhotos: draftPhotos,
    flush: flush,
    sendAgain: sendAgain,
    render: render,
    status: status,
    link: link,
    errorText: errorText,
    showExpired: showExpired
  };
  flush();
})();
