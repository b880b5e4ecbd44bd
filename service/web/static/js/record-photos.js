/* ipcoord record form: photos from the camera, shrunk on the phone (longest side ~1600 px, JPEG ~0.8) and refused
   before upload when still over the server's limit (data-max-bytes, UPLOAD_MAX_BYTES). They are kept with the draft in IndexedDB; record.js sends
   the shrunk copies, never the originals. Exposes window.ipcoordPhotos. */
(function () {
  "use strict";
  var form = document.getElementById("record-form");
  var box = window.ipcoordOutbox;
  if (!form || !box) return;
  var data = box.data;
  var text = box.text;
  var input = document.getElementById("f-photos");
  var list = document.getElementById("photo-list");
  var error = document.getElementById("photos-error");
  var photos = [];

  function shrink(file) {
    if (!window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, data.maxSide / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      if (bitmap.close) bitmap.close();
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) { return blob ? resolve(blob) : reject(new Error("toBlob")); },
          "image/jpeg", data.quality);
      });
    });
  }

  function refuse(message) {
    error.textContent = error.textContent ? error.textContent + " " + message : message;
    error.hidden = false;
  }

  function keep() {
    return box.draftPhotos.save(photos).catch(function () {});
  }

  function render() {
    list.textContent = "";
    photos.forEach(function (photo, index) {
      var li = document.createElement("li");
      var img = document.createElement("img");
      img.src = URL.createObjectURL(photo.blob);
      img.alt = photo.name;
      img.onload = function () { URL.revokeObjectURL(img.src); };
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link";
      remove.textContent = text("photo_remove", { name: index + 1 });
      remove.addEventListener("click", function () {
        photos.splice(index, 1);
        render();
        keep();
      });
      li.appendChild(img);
      li.appendChild(remove);
      list.appendChild(li);
    });
  }

  function add(file, mb) {
    return shrink(file).then(function (blob) {
      if (blob.size > Number(input.dataset.maxBytes)) return refuse(text("photo_too_large", { name: file.name, mb: mb }));
      // A name of its own, so a retry can tell which photos the server already has.
      photos.push({ name: "anh-" + Date.now().toString(36) + "-" + (photos.length + 1) + ".jpg", blob: blob });
    }, function () { refuse(text("photo_unreadable", { name: file.name })); });
  }

  input.addEventListener("change", function () {
    var files = Array.prototype.slice.call(input.files);
    var mb = String(parseFloat((Number(input.dataset.maxBytes) / 1048576).toPrecision(3)));
    input.value = "";
    error.hidden = true;
    error.textContent = "";
    files.reduce(function (chain, file) {
      return chain.then(function () { return add(file, mb); });
    }, Promise.resolve()).then(function () {
      render();
      return keep();
    });
  });

  window.ipcoordPhotos = {
    list: function () { return photos.map(function (p) { return { name: p.name, blob: p.blob }; }); },
    set: function (stored) {
      photos = stored || [];
      render();
    },
    clear: function () {
      photos = [];
      render();
      return keep();
    },
    load: function () { return box.draftPhotos.load().then(window.ipcoordPhotos.set).catch(function () {}); }
  };
})();
