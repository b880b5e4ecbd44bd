/* ipcoord "My incidents": the one-tap referral of an incident with signs of a crime to the police, through
   /api/referrals. Without JavaScript the same button posts the form to /incidents/refer-police. */
(function () {
  "use strict";
  var box = window.ipcoordOutbox;
  if (!box) return;
  document.querySelectorAll(".refer-form").forEach(function (form) {
    var button = form.querySelector("button");
    var error = form.querySelector(".field-error");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (button.disabled) return;  // one tap, one referral
      button.disabled = true;
      error.hidden = true;
      var body = {
        incident_id: form.dataset.incident,
        to_agency: form.dataset.agency,
        type: form.dataset.type,
        message: form.dataset.message
      };
      box.api("POST", "/api/referrals", JSON.stringify(body), { "Content-Type": "application/json" }).then(function () {
        var done = document.createElement("p");
        done.className = "referred";
        done.textContent = box.text("referred");
        form.replaceWith(done);
      }, function (failure) {
        button.disabled = false;
        if (failure instanceof box.HttpError && failure.status === 401) return box.showExpired();
        error.textContent = failure instanceof box.HttpError ? box.errorText(failure.body) : box.text("offline");
        error.hidden = false;
      });
    });
  });
})();
