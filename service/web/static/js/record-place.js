/* ipcoord record form: where it happened. A search over the 38 communes that ignores accents ("muong te" finds
   "Mường Tè"), or the phone's position with the commune shown back at once (GET /api/geotag). Picking one clears
   the other, so the two never contradict. Exposes window.ipcoordPlace for record.js. */
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  var box = window.ipcoordOutbox;
  if (!form || !box) return;
  var text = box.text;
  var unitSelect = form.elements["unit.code"];
  var lon = form.elements["location.lon"];
  var lat = form.elements["location.lat"];
  var gpsResult = document.getElementById("gps-result");
  var search = document.getElementById("unit-search");
  var matches = document.getElementById("unit-matches");
  var matchCount = document.getElementById("unit-matches-count");
  var gpsButton = document.getElementById("use-gps");

  /* Same folding as service/text.py: đ -> d, accents dropped, lower case, single spaces. */
  function fold(value) {
    return value.replace(/Đ/g, "D").replace(/đ/g, "d").normalize("NFD").replace(/\p{Mn}/gu, "")
      .toLowerCase().split(/\s+/).filter(Boolean).join(" ");
  }

  var units = Array.prototype.filter.call(unitSelect.options, function (o) { return o.value; }).map(function (o) {
    return { code: o.value, name: o.textContent, folded: fold(o.textContent) };
  });

  function changed(el) {
    el.dispatchEvent(new Event("change", { bubbles: true }));  // record.js keeps the draft on every change
  }

  function clearGps() {
    lon.value = lat.value = "";
    gpsResult.textContent = "";
  }

  function clear() {
    clearGps();
    search.value = matches.textContent = matchCount.textContent = "";
  }

  function pickUnit(unit) {
    unitSelect.value = unit.code;
    clearGps();
    matches.textContent = "";
    search.value = "";
    matchCount.textContent = text("unit_picked", { unit: unit.name });
    changed(unitSelect);
  }

  function findUnits() {
    var words = fold(search.value).split(" ").filter(Boolean);
    matches.textContent = "";
    if (!words.length) {
      matchCount.textContent = "";
      return [];
    }
    var found = units.filter(function (u) { return words.every(function (w) { return u.folded.indexOf(w) >= 0; }); });
    matchCount.textContent = found.length ? text("unit_matches", { n: found.length }) : text("unit_none");
    found.slice(0, 8).forEach(function (unit) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "unit-match";
      button.textContent = unit.name;
      button.addEventListener("click", function () { pickUnit(unit); unitSelect.focus(); });
      li.appendChild(button);
      matches.appendChild(li);
    });
    return found;
  }

  function located(x, y) {
    box.api("GET", "/api/geotag?lon=" + x + "&lat=" + y).then(function (out) {
      gpsResult.textContent = text("located", { unit: out.unit_2025.full_name, lat: y, lon: x });
    }, function (error) {
      if (error instanceof box.HttpError && error.status === 401) return box.showExpired();
      if (error instanceof box.HttpError) {
        clearGps();  // outside Lai Châu: say so, and let the inspector pick the commune
        gpsResult.textContent = box.errorText(error.body);
      } else {
        // Offline: keep the point; the server places it when the incident is sent.
        gpsResult.textContent = text("located", { unit: "?", lat: y, lon: x });
      }
    }).then(function () { changed(lon); });
  }

  search.closest(".unit-search").hidden = false;
  search.addEventListener("input", findUnits);
  search.addEventListener("keydown", function (event) {
    if (event.key !== "Enter") return;
    event.preventDefault();  // Enter picks the first match instead of submitting the form
    var found = findUnits();
    if (found.length) pickUnit(found[0]);
  });
  unitSelect.addEventListener("change", function () { if (unitSelect.value) clearGps(); });

  if (navigator.geolocation) gpsButton.hidden = false;
  gpsButton.addEventListener("click", function () {
    gpsResult.textContent = text("locating");
    navigator.geolocation.getCurrentPosition(function (position) {
      var x = position.coords.longitude.toFixed(6);
      var y = position.coords.latitude.toFixed(6);
      lon.value = x;
      lat.value = y;
      unitSelect.value = "";
      located(x, y);
    }, function () { gpsResult.textContent = text("no_gps"); },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  window.ipcoordPlace = {
    clear: clear,
    summary: function () { return gpsResult.textContent; },
    restore: function (summary) { gpsResult.textContent = summary || ""; }
  };
})();
