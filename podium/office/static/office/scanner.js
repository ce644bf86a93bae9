/* The door scanner: checks ticket codes online, or offline with the performance's
   check-in package (public keys + the tickets that admit), queues offline scans and
   syncs them when the network is back. The server has the last word: the first
   admission of a ticket wins and conflicts are shown. */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  if (!root) return;
  var data = root.dataset;
  var performanceId = Number(data.performance);
  var storeKey = function (name) { return "podium-scan-" + name + "-" + performanceId; };
  var resultBox = document.getElementById("scan-result");
  var statusBox = document.getElementById("scanner-status");
  var codeInput = document.getElementById("scan-code");
  var entranceInput = document.getElementById("scan-entrance");
  var conflictList = document.getElementById("scan-conflicts");
  var admittedCount = document.getElementById("attendance-admitted");
  var expectedCount = document.getElementById("attendance-expected");
  var clock = new Intl.DateTimeFormat(document.documentElement.lang || "nl", {
    hour: "2-digit", minute: "2-digit", timeZone: data.timezone
  });

  var pkg = load("package", null);
  var admitted = load("admitted", {});   // ticket id → {at, entrance}, ours and the server's
  var queue = load("queue", []);
  var keys = {};                         // key id → CryptoKey
  var device = localStorage.getItem("podium-scan-device");
  if (!device) {
    device = "d-" + randomId();
    localStorage.setItem("podium-scan-device", device);
  }
  entranceInput.value = localStorage.getItem("podium-scan-entrance") || entranceInput.value;

  function load(name, fallback) {
    try {
      var text = localStorage.getItem(storeKey(name));
      return text ? JSON.parse(text) : fallback;
    } catch (error) {
      return fallback;
    }
  }

  function save(name, value) {
    localStorage.setItem(storeKey(name), JSON.stringify(value));
  }

  function randomId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }

  function timeOf(iso) {
    return iso ? clock.format(new Date(iso)) : "";
  }

  /* ---- showing answers ---- */

  function show(answer) {
    resultBox.className = "scan-result " + (answer.admitted ? "scan-ok" : "scan-refused");
    resultBox.hidden = false;
    var title = document.createElement("p");
    title.className = "scan-verdict";
    title.textContent = answer.admitted ? data.msgAdmit : data.msgRefuse;
    var reason = document.createElement("p");
    reason.className = "scan-reason";
    reason.textContent = answer.message;
    resultBox.replaceChildren(title, reason);
    if (answer.ticket_label || answer.holder) {
      var ticket = document.createElement("p");
      ticket.className = "scan-ticket";
      ticket.textContent = [answer.ticket_label, answer.holder].filter(Boolean).join(" · ");
      resultBox.appendChild(ticket);
    }
    if (answer.offline) {
      var note = document.createElement("p");
      note.className = "scan-offline";
      note.textContent = data.msgCheckedOffline;
      resultBox.appendChild(note);
    }
  }

  function showStatus() {
    var parts = [navigator.onLine ? data.msgOnline : data.msgOffline];
    if (pkg) parts.push(fill(data.msgPackage, { time: timeOf(pkg.generated_at) }));
    else parts.push(data.msgNoPackage);
    if (queue.length) parts.push(fill(data.msgQueued, { count: queue.length }));
    statusBox.textContent = parts.join(" · ");
    root.classList.toggle("is-offline", !navigator.onLine);
  }

  function showAttendance(counts) {
    if (!counts) return;
    admittedCount.textContent = counts.admitted;
    expectedCount.textContent = counts.expected;
  }

  // `scan` is the queued scan; when it won, it is itself the first admission.
  function reportConflict(result, scan) {
    var item = document.createElement("li");
    var won = result.admitted;
    item.textContent = fill(data.msgConflict, {
      ticket: result.ticket_label || ("#" + (result.ticket_id || "?")),
      time: timeOf(won ? scan.scanned_at : result.first_scanned_at),
      entrance: (won ? scan.entrance : result.first_entrance) || "–"
    });
    conflictList.appendChild(item);
    conflictList.closest("section").hidden = false;
  }

  /* ---- the server ---- */

  function post(url, body) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, 5000);
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      signal: controller.signal,
      headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf },
      body: JSON.stringify(body)
    }).finally(function () { clearTimeout(timer); });
  }

  function refreshPackage() {
    if (!navigator.onLine) return Promise.resolve();
    return fetch(data.packageUrl, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("package " + response.status);
        return response.json();
      })
      .then(function (fresh) {
        pkg = fresh;
        save("package", pkg);
        Object.keys(pkg.admitted).forEach(function (id) {
          var mine = admitted[id];
          if (!mine || new Date(pkg.admitted[id].at) <= new Date(mine.at)) {
            admitted[id] = pkg.admitted[id];
          }
        });
        save("admitted", admitted);
        return importKeys();
      })
      .catch(function () { /* keep the package we have */ })
      .then(showStatus);
  }

  function refreshAttendance() {
    if (!navigator.onLine) return;
    fetch(data.attendanceUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(showAttendance)
      .catch(function () {});
  }

  /* ---- checking a code without the network ---- */

  function fromBase64url(text) {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error("not base64url");
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = atob(b64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function importKeys() {
    keys = {};
    if (!pkg || !crypto.subtle) return Promise.resolve();
    return Promise.all(Object.keys(pkg.keys).map(function (id) {
      return crypto.subtle.importKey("raw", fromBase64url(pkg.keys[id]),
        { name: "Ed25519" }, false, ["verify"])
        .then(function (key) { keys[id] = key; })
        .catch(function () { /* this browser cannot verify Ed25519 */ });
    }));
  }

  // PD1.<payload>.<signature>; payload: key id length, key id, house, performance,
  // ticket (8 bytes each), version (2), secret length, secret (big-endian).
  function parse(code) {
    var parts = code.split(".");
    if (parts.length !== 3 || parts[0] !== "PD1") return null;
    try {
      var body = fromBase64url(parts[1]);
      var signature = fromBase64url(parts[2]);
      var view = new DataView(body.buffer);
      var keyLength = body[0];
      var keyId = String.fromCharCode.apply(null, body.slice(1, 1 + keyLength));
      var at = 1 + keyLength;
      var claims = {
        keyId: keyId,
        house: Number(view.getBigUint64(at)),
        performance: Number(view.getBigUint64(at + 8)),
        ticket: Number(view.getBigUint64(at + 16)),
        version: view.getUint16(at + 24),
        body: body,
        signature: signature
      };
      var secretLength = body[at + 26];
      if (body.length !== at + 27 + secretLength || signature.length !== 64) return null;
      return claims;
    } catch (error) {
      return null;
    }
  }

  function refusal(reason, message) {
    return { admitted: false, reason: reason, message: message, offline: true };
  }

  function checkOffline(code, entrance) {
    if (!pkg) return Promise.resolve(refusal("no_package", data.msgNoPackage));
    var claims = parse(code);
    if (!claims) return Promise.resolve(refusal("malformed", data.msgMalformed));
    var key = keys[claims.keyId];
    if (!key) return Promise.resolve(refusal("unknown_key", data.msgUnknownKey));
    var signed = new Uint8Array(4 + claims.body.length);
    signed.set([80, 68, 49, 46]);  // "PD1."
    signed.set(claims.body, 4);
    return crypto.subtle.verify({ name: "Ed25519" }, key, claims.signature, signed)
      .then(function (good) {
        if (!good) return refusal("bad_signature", data.msgForged);
        return checkClaims(claims, entrance);
      }, function () {
        return refusal("bad_signature", data.msgForged);
      });
  }

  function checkClaims(claims, entrance) {
    if (claims.performance !== performanceId) {
      return refusal("other_performance", data.msgOtherPerformance);
    }
    var ticket = pkg.tickets[String(claims.ticket)];
    if (!ticket) return refusal("cancelled", data.msgNotAdmitting);
    if (ticket.v !== claims.version) return refusal("reissued", data.msgReissued);
    var now = new Date();
    if (now < new Date(pkg.performance.admits_from)) {
      return refusal("not_yet_valid", fill(data.msgNotYet, {
        time: timeOf(pkg.performance.admits_from)
      }));
    }
    if (now > new Date(pkg.performance.admits_until)) return refusal("ended", data.msgEnded);
    var first = admitted[String(claims.ticket)];
    var answer = { ticket_id: claims.ticket, ticket_label: ticket.label, holder: ticket.holder, offline: true };
    if (first) {
      answer.admitted = false;
      answer.reason = "already_scanned";
      answer.message = fill(data.msgAlready, { time: timeOf(first.at), entrance: first.entrance || "–" });
      return answer;
    }
    admitted[String(claims.ticket)] = { at: now.toISOString(), entrance: entrance };
    save("admitted", admitted);
    answer.admitted = true;
    answer.reason = "valid";
    answer.message = data.msgValid;
    return answer;
  }

  /* ---- one scan ---- */

  function scan(code) {
    code = code.trim();
    if (!code) return Promise.resolve();
    resultBox.className = "scan-result";
    resultBox.replaceChildren();
    var entrance = entranceInput.value.trim();
    var scannedAt = new Date().toISOString();
    var online = navigator.onLine
      ? post(data.scanUrl, { code: code, entrance: entrance, device: device })
          .then(function (response) {
            if (response.status >= 500) throw new Error("server " + response.status);
            return response.json();
          })
      : Promise.reject(new Error("offline"));
    return online.then(function (answer) {
      if (answer.error) {
        show(refusal("invalid", answer.error));
        return;
      }
      if (answer.admitted && answer.ticket_id) {
        admitted[String(answer.ticket_id)] = { at: scannedAt, entrance: entrance };
        save("admitted", admitted);
      }
      show(answer);
      refreshAttendance();
    }, function () {
      return checkOffline(code, entrance).then(function (answer) {
        queue.push({
          client_id: randomId(), code: code, entrance: entrance,
          scanned_at: scannedAt, admitted_offline: answer.admitted
        });
        save("queue", queue);
        show(answer);
        showStatus();
      });
    });
  }

  /* ---- syncing the queue ---- */

  var syncing = false;
  function sync() {
    if (syncing || !queue.length || !navigator.onLine) return Promise.resolve();
    syncing = true;
    var batch = queue.slice(0, 200);
    return post(data.syncUrl, { device: device, scans: batch })
      .then(function (response) {
        if (!response.ok) throw new Error("sync " + response.status);
        return response.json();
      })
      .then(function (answer) {
        var done = {};
        var sent = {};
        batch.forEach(function (item) { sent[item.client_id] = item; });
        answer.results.forEach(function (result) {
          done[result.client_id] = true;
          if (result.conflict) reportConflict(result, sent[result.client_id] || {});
        });
        queue = queue.filter(function (item) { return !done[item.client_id]; });
        save("queue", queue);
        return refreshPackage();
      })
      .catch(function () { /* try again later */ })
      .then(function () {
        syncing = false;
        showStatus();
        refreshAttendance();
      });
  }

  /* ---- the camera ---- */

  function startCamera(button) {
    var video = document.getElementById("scan-camera");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var last = { code: "", at: 0 };
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        button.hidden = true;
        return video.play();
      })
      .then(function loop() {
        detector.detect(video).then(function (codes) {
          var now = Date.now();
          if (codes.length) {
            var code = codes[0].rawValue;
            if (code !== last.code || now - last.at > 3000) scan(code);
            last = { code: code, at: now };
          }
        }).catch(function () {}).then(function () { setTimeout(loop, 250); });
      })
      .catch(function () {
        show(refusal("camera", data.msgNoCamera));
      });
  }

  /* ---- wiring ---- */

  document.getElementById("scan-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeInput.value;
    codeInput.value = "";
    scan(code).then(function () { codeInput.focus(); });
  });
  entranceInput.addEventListener("change", function () {
    localStorage.setItem("podium-scan-entrance", entranceInput.value.trim());
  });
  var cameraButton = document.getElementById("scan-camera-start");
  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", function () { startCamera(cameraButton); });
  }
  window.addEventListener("online", function () { showStatus(); sync(); });
  window.addEventListener("offline", showStatus);
  setInterval(function () { sync(); }, 10000);
  setInterval(refreshPackage, 60000);

  importKeys().then(function () {
    showStatus();
    return refreshPackage();
  }).then(function () {
    root.dataset.ready = "true";
    sync();
  });
})();
