/* ipcoord: installs the service worker (/sw.js, service/web/offline.py) so the inspector's pages open with no
   connection, and asks it to forget the kept pages when someone logs out of a shared phone. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  var logout = document.querySelector("form[action='/logout']");
  if (!logout) return;
  logout.addEventListener("submit", function () {
    if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("forget-pages");
  });
})();
