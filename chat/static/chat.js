// The web chat page. Nothing is kept beyond this tab: the token lives in sessionStorage only,
// requests carry no cookie, and quick exit replaces the page so Back cannot return to it. Leaving
// the page any other way (Back, a link, closing the tab) ends the chat too, on the server and here,
// so neither Back nor a reopened tab shows it again; only the language switch keeps it.
(function () {
  "use strict";
  var KEY = "t";
  var data = document.body.dataset;
  var log = document.getElementById("log");
  var status = document.getElementById("status");
  var form = document.getElementById("compose");
  var box = document.getElementById("box");
  var token = sessionStorage.getItem(KEY);
  var cursor = null;        // the last message id the server has sent this tab
  var useStream = true;     // Server-Sent Events until they fail; then plain polling
  var waitMs = Number(data.pollMs) || 2000;
  var ended = false;
  var lastEsc = 0;
  var shiftTaps = [];       // times of lone Shift taps (pressed and let go with no other key)
  var shiftAlone = false;
  var switching = false;    // the language switch reloads the page and keeps the chat

  function newer(a, b) {  // message ids are "milliseconds-sequence"
    var x = a.split("-").map(Number), y = b.split("-").map(Number);
    return x[0] > y[0] || (x[0] === y[0] && x[1] > y[1]);
  }

  function place(node, id) {
    var after = null;
    for (var i = log.children.length - 1; i >= 0; i--) {
      var other = log.children[i].dataset.id;
      if (!id || !other || !newer(other, id)) { after = log.children[i]; break; }
    }
    log.insertBefore(node, after ? after.nextSibling : log.firstChild);
  }

  function show(entries) {
    entries.forEach(function (entry) {
      var key = entry.id || "safety:" + entry.text;
      if (log.querySelector('[data-key="' + CSS.escape(key) + '"]')) { return; }
      var node = document.createElement("div");
      node.className = "msg " + entry.by;
      node.dataset.key = key;
      if (entry.id) { node.dataset.id = entry.id; }
      var who = entry.by === "you" ? data.you : entry.by === "advocate" ? entry.name : "";
      if (who) {
        var label = document.createElement("span");
        label.className = "who";
        label.textContent = who;
        node.appendChild(label);
      }
      node.appendChild(document.createTextNode(entry.text));
      place(node, entry.id);
    });
    if (entries.length) { window.scrollTo(0, document.body.scrollHeight); }
  }

  function call(method, path, body, accept) {
    var headers = { "Accept": accept || "application/json" };
    if (token) { headers["X-Chat-Token"] = token; }
    if (body) { headers["Content-Type"] = "application/json"; }
    return fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined,
                         credentials: "omit", cache: "no-store" });
  }

  function say(text) { status.textContent = text || ""; }

  function end() {
    ended = true;
    sessionStorage.removeItem(KEY);
    say(data.ended);
  }

  async function start() {
    if (!token) {
      var response = await call("POST", "/chat/session", { lang: data.lang });
      var answer = await response.json();
      if (answer.token) { token = answer.token; sessionStorage.setItem(KEY, token); }
      show(answer.entries || (answer.safety ? [{ id: "", by: "bot", text: answer.safety }] : []));
    }
  }

  async function send(text) {
    if (!token) { await start(); }
    var response = await call("POST", "/chat/messages", { text: text });
    var answer = await response.json();
    if (response.status === 410) { end(); return false; }
    if (response.status === 429) { say(data.slowDown); return false; }
    if (!response.ok) { say(answer.error || data.notSent); return false; }
    if (answer.cleared) { log.textContent = ""; }
    say("");
    show(answer.entries || []);
    return true;
  }

  function readEvents(text) {
    text.split("\n\n").forEach(function (block) {
      block.split("\n").forEach(function (line) {
        if (line.indexOf("retry: ") === 0) { waitMs = Number(line.slice(7)) || waitMs; }
        if (line.indexOf("data: ") === 0) {
          var entry = JSON.parse(line.slice(6));
          show([entry]);
          if (entry.id && (!cursor || newer(entry.id, cursor))) { cursor = entry.id; }
        }
      });
    });
  }

  async function stream(response) {
    if (!response.body || !response.body.getReader) { readEvents(await response.text()); return; }
    var reader = response.body.getReader(), decoder = new TextDecoder(), pending = "";
    for (;;) {
      var part = await reader.read();
      if (part.done) { break; }
      pending += decoder.decode(part.value, { stream: true });
      var cut = pending.lastIndexOf("\n\n");
      if (cut >= 0) { readEvents(pending.slice(0, cut)); pending = pending.slice(cut + 2); }
    }
    readEvents(pending);
  }

  async function fetchNew() {
    var path = "/chat/messages" + (cursor ? "?after=" + encodeURIComponent(cursor) : "");
    var response = await call("GET", path, null, useStream ? "text/event-stream" : "application/json");
    if (response.status === 410) { end(); return; }
    if (!response.ok) { return; }
    if ((response.headers.get("Content-Type") || "").indexOf("text/event-stream") === 0) {
      await stream(response);
      return;
    }
    useStream = false;  // a proxy that answers SSE with something else: poll with JSON from now on
    readEvents((await response.json()).entries.map(function (e) { return "data: " + JSON.stringify(e); }).join("\n\n"));
  }

  async function listen() {
    while (!ended) {
      if (token) {
        try { await fetchNew(); } catch (error) { useStream = false; }
      }
      await new Promise(function (done) { setTimeout(done, waitMs); });
    }
  }

  function forget(reason) {
    if (token) {  // keepalive: the request outlives this page
      fetch("/chat/exit", { method: "POST", keepalive: true, credentials: "omit",
                            headers: { "X-Chat-Token": token, "Content-Type": "application/json" },
                            body: JSON.stringify({ reason: reason }) }).catch(function () {});
    }
    sessionStorage.clear();
    token = null;
    log.textContent = "";
    box.value = "";
  }

  function quickExit(event) {
    if (event) { event.preventDefault(); }
    forget("quick exit");
    window.location.replace(data.exitUrl);
  }

  window.addEventListener("pagehide", function () {
    if (!switching) { forget("left"); }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {  // back from the browser's page cache: show nothing of the old chat
      log.textContent = "";
      end();
    }
  });

  document.getElementById("exit").addEventListener("click", quickExit);
  document.addEventListener("keydown", function (event) {
    shiftAlone = event.key === "Shift" && !event.repeat;
    if (event.key !== "Shift") { shiftTaps = []; }  // typing a capital letter is not a tap
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEsc < 1500) { quickExit(event); } else { lastEsc = now; }
  });
  // Shift three times within 5 seconds, as on other support sites: a key every keyboard has, and a
  // gesture nobody makes by accident while typing.
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift" || !shiftAlone) { return; }
    var now = Date.now();
    shiftTaps = shiftTaps.filter(function (at) { return now - at < 5000; }).concat([now]);
    if (shiftTaps.length >= 3) { quickExit(event); }
  });
  document.getElementById("switch").addEventListener("click", async function (event) {
    event.preventDefault();
    var target = event.currentTarget.href;
    switching = true;
    try { if (token) { await send(data.otherWord); } } finally { window.location.replace(target); }
  });
  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    var text = box.value.trim();
    if (!text || ended) { return; }
    box.value = "";
    try {
      if (!(await send(text))) { box.value = text; }
    } catch (error) { box.value = text; say(data.notSent); }
  });
  box.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.shiftKey) { return; }
    event.preventDefault();
    if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event("submit", { cancelable: true })); }
  });
  start().catch(function () { say(data.notSent); }).then(listen);
}());
