/* ipcoord's service worker (served as /sw.js, scope "/"; service/web/offline.py puts self.IPCOORD above this
   line: {version, pages, assets}). It keeps the inspector's pages and their files so they open with no
   connection: files under content-hashed URLs from the cache first (a URL never changes content), pages from
   the network first, kept for when the network is gone. API calls are never cached: submissions wait in
   IndexedDB (offline.js) and are sent with their idempotency keys when the connection returns. */
"use strict";
var CONFIG = self.IPCOORD;
var CACHE = "ipcoord-" + CONFIG.version;
var PAGES = CONFIG.pages;

/* A page may be asked for with a query (?resume=…, ?recorded=…): it is kept once, under its path. */
function pageKey(url) {
  return PAGES.indexOf(url.pathname) >= 0 ? url.origin + url.pathname : null;
}

/* A page worth keeping: the page itself for a logged-in member, not the login page it was sent to. */
function keepable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

function precache(cache) {
  var files = cache.addAll(CONFIG.assets);
  var pages = PAGES.map(function (path) {
    return fetch(path, { credentials: "same-origin" }).then(function (response) {
      if (keepable(response)) return cache.put(self.location.origin + path, response);
    }).catch(function () {});
  });
  return Promise.all([files].concat(pages));
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(precache).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("ipcoord-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function offlinePage() {
  var html = "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>ipcoord</title>" +
    "<main><h1>Không có kết nối mạng</h1><p>Trang này chưa được lưu trên máy. " +
    "<a href=\"/incidents/new\">Ghi nhận vụ việc</a> · <a href=\"/incidents/mine\">Vụ việc của tôi</a></p>" +
    "<p lang=\"en\">No connection, and this page is not kept on this phone. " +
    "<a href=\"/incidents/new\">Record an incident</a> · <a href=\"/incidents/mine\">My incidents</a></p></main></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

/* Pages: the network first (fresh data, a fresh CSRF cookie), the kept copy when there is no network. */
function fromNetworkFirst(request, key) {
  return fetch(request).then(function (response) {
    if (key && keepable(response)) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(key, copy); });
    } else if (key && response.redirected && new URL(response.url).pathname === "/login") {
      caches.open(CACHE).then(function (cache) { return cache.delete(key); });  // logged out: keep nothing
    }
    return response;
  }, function () {
    var kept = key || (new URL(request.url).pathname === "/" ? self.location.origin + PAGES[0] : null);
    return (kept ? caches.match(kept) : Promise.resolve(null)).then(function (hit) { return hit || offlinePage(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fromNetworkFirst(request, pageKey(url)));
  } else if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  }
});

/* A page asks to forget the kept pages (logging out on a shared phone). */
self.addEventListener("message", function (event) {
  if (event.data === "forget-pages") {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return Promise.all(PAGES.map(function (path) { return cache.delete(self.location.origin + path); }));
    }));
  }
});
