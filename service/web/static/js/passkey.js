// Passkeys and security keys (WebAuthn) on the account-security and second-factor pages. The pages work without
// it for everything else; buttons with data-passkey stay hidden where the browser has no WebAuthn.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) return;

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); }).buffer;
  }
  function toText(buffer) {
    var bytes = new Uint8Array(buffer), raw = "";
    for (var i = 0; i < bytes.length; i++) raw += String.fromCharCode(bytes[i]);
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function descriptors(list) {
    return (list || []).map(function (item) { return Object.assign({}, item, { id: toBytes(item.id) }); });
  }
  function asJson(credential) {
    var r = credential.response, response = { clientDataJSON: toText(r.clientDataJSON) };
    if (r.attestationObject) response.attestationObject = toText(r.attestationObject);
    if (r.authenticatorData) response.authenticatorData = toText(r.authenticatorData);
    if (r.signature) response.signature = toText(r.signature);
    if (r.userHandle) response.userHandle = toText(r.userHandle);
    return { id: credential.id, rawId: toText(credential.rawId), type: credential.type, response: response };
  }
  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrftoken": csrf },
      body: JSON.stringify(body || {}),
    }).then(function (answer) {
      if (!answer.ok) throw new Error(String(answer.status));
      return answer.json();
    });
  }

  function register(button) {
    var csrf = button.dataset.csrf, name = document.getElementById("passkey-name");
    return post("/api/me/second-factor/passkeys/options", csrf).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.user.id = toBytes(options.user.id);
      options.excludeCredentials = descriptors(options.excludeCredentials);
      return navigator.credentials.create({ publicKey: options });
    }).then(function (credential) {
      var label = (name && name.value.trim()) || "Security key";
      return post("/api/me/second-factor/passkeys", csrf, { name: label, credential: asJson(credential) });
    });
  }

  function signIn(button) {
    var csrf = button.dataset.csrf;
    return post("/api/auth/second-factor/passkey/options", csrf).then(function (options) {
      options.challenge = toBytes(options.challenge);
      options.allowCredentials = descriptors(options.allowCredentials);
      return navigator.credentials.get({ publicKey: options });
    }).then(function (credential) {
      return post("/api/auth/second-factor/passkey", csrf, { credential: asJson(credential) });
    });
  }

  document.querySelectorAll("[data-passkey]").forEach(function (button) {
    var error = document.querySelector("[data-passkey-error]");
    button.hidden = false;
    button.addEventListener("click", function () {
      if (error) error.hidden = true;
      button.disabled = true;
      var run = button.dataset.passkey === "register" ? register(button) : signIn(button);
      run.then(function () {
        window.location.assign(button.dataset.next || "/");
      }).catch(function () {
        button.disabled = false;
        if (error) error.hidden = false;
      });
    });
  });
})();
