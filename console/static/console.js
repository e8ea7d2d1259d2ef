// Lantern console: live updates by short polling, canned replies, a character counter.
// Served from our own origin: the Content-Security-Policy allows no inline script and no other origin.
"use strict";

(function () {
  const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

  function make(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;  // always text: survivors' words are never HTML
    return node;
  }

  function banner(message, link) {
    let note = document.querySelector("[data-banner]");
    if (!note) {
      note = make("p", "flash error");
      note.setAttribute("role", "alert");
      note.dataset.banner = "";
      document.querySelector("main").prepend(note);
    }
    note.textContent = message + " ";
    if (link) {
      const a = make("a", "", link.text);
      a.href = link.href;
      note.append(a);
    }
  }

  // Ask `url` for JSON every `seconds`; stop (and say why) when the session has ended.
  function poll(url, seconds, apply) {
    let failures = 0;
    async function tick() {
      try {
        const response = await fetch(url(), {headers: {Accept: "application/json"}, cache: "no-store",
                                              credentials: "same-origin"});
        if (response.status === 401) {
          const data = await response.json();
          banner(data.reason || "You are signed out.", {href: "/console/login", text: "Sign in again"});
          return;
        }
        if (!response.ok) throw new Error("status " + response.status);
        failures = 0;
        if (apply(await response.json()) === false) return;
      } catch (error) {
        failures += 1;
        if (failures === 3) banner("Live updates can't reach the console right now; still trying.");
      }
      window.setTimeout(tick, seconds * 1000);
    }
    window.setTimeout(tick, seconds * 1000);
  }

  function announce(text) {
    const live = document.querySelector("[data-live-status]");
    if (live) live.textContent = text;
  }

  // Update rows in place, keyed by case code: a keyboard user's focus on a Claim button survives updates.
  function syncRows(tbody, rows, build, fill) {
    const existing = new Map([...tbody.querySelectorAll("tr[data-code]")].map((tr) => [tr.dataset.code, tr]));
    const added = [];
    rows.forEach((row, index) => {
      let tr = existing.get(row.code);
      if (!tr) {
        tr = build(row);
        tr.dataset.code = row.code;
        added.push(row);
      }
      existing.delete(row.code);
      fill(tr, row);
      if (tbody.children[index] !== tr) tbody.insertBefore(tr, tbody.children[index] || null);
    });
    existing.forEach((tr) => tr.remove());
    tbody.querySelectorAll("tr:not([data-code])").forEach((tr) => tr.remove());
    const empty = document.querySelector("[data-empty]");
    if (empty) empty.hidden = rows.length > 0;
    return added;
  }

  function cells(tr, labels) {
    if (!tr.children.length) labels.forEach((label) => { const td = make("td"); td.dataset.label = label; tr.append(td); });
    return [...tr.children];
  }

  function badge(priority) {
    return make("span", "badge " + priority.toLowerCase(), priority);
  }

  function startQueue(table) {
    const tbody = table.tBodies[0];
    const labels = ["Code", "Priority", "Language", "Area", "Waiting", "Note", "Offered", ""];
    const build = (row) => {
      const tr = make("tr");
      const [code, , , , , , , action] = cells(tr, labels);
      const link = make("a", "", row.code);
      link.href = table.dataset.view.replace("CODE", row.code);
      code.append(link);
      const form = make("form");
      form.method = "post";
      form.action = table.dataset.claim.replace("CODE", row.code);
      const token = make("input");
      Object.assign(token, {type: "hidden", name: "csrf_token", value: csrfToken()});
      form.append(token, make("button", "primary", "Claim " + row.code));
      action.append(form);
      return tr;
    };
    const fill = (tr, row) => {
      const [, priority, language, area, wait, note, offered] = cells(tr, labels);
      tr.className = "priority-" + row.priority.toLowerCase();
      if (priority.textContent !== row.priority) priority.replaceChildren(badge(row.priority));
      language.textContent = row.language;
      area.textContent = row.area || "not given";
      wait.textContent = row.wait;
      note.textContent = row.note || "";
      offered.textContent = row.offered || "";
    };
    [...tbody.rows].forEach((tr) => { tr.dataset.code = tr.querySelector("a").textContent; });
    poll(() => table.dataset.source, Number(table.dataset.poll || 3), (data) => {
      const added = syncRows(tbody, data.waiting, build, fill);
      document.title = (data.waiting.length ? "(" + data.waiting.length + ") " : "") + "Queue · Lantern console";
      if (added.length) announce("New: " + added.map((r) => r.code + " " + r.priority).join(", "));
    });
  }

  function startMine(table) {
    const tbody = table.tBodies[0];
    const labels = ["Code", "Priority", "Language", "Area", "State", "Last message"];
    const build = (row) => {
      const tr = make("tr");
      const link = make("a", "", row.code);
      link.href = row.href;
      cells(tr, labels)[0].append(link);
      return tr;
    };
    const fill = (tr, row) => {
      const [, priority, language, area, state, last] = cells(tr, labels);
      tr.className = row.their_turn ? "their-turn" : "";
      if (priority.textContent !== row.priority) priority.replaceChildren(badge(row.priority));
      language.textContent = row.language;
      area.textContent = row.area || "not given";
      state.textContent = row.state;
      last.replaceChildren(row.last);
      if (row.their_turn) last.append(" · ", make("strong", "", "their turn"));
    };
    [...tbody.rows].forEach((tr) => { tr.dataset.code = tr.querySelector("a").textContent; });
    poll(() => table.dataset.source, Number(table.dataset.poll || 3), (data) => {
      const added = syncRows(tbody, data.mine, build, fill);
      if (added.length) announce("Now yours: " + added.map((r) => r.code).join(", "));
    });
  }

  function entryNode(entry) {
    const li = make("li", "by-" + entry.by);
    li.append(make("span", "who", entry.who), " ", make("time", "", entry.at), make("p", "", entry.text));
    if (entry.delivery) li.append(make("span", "delivery", entry.delivery));
    return li;
  }

  function startConversation(pane) {
    const transcript = pane.querySelector("[data-transcript]");
    const notes = pane.querySelector("[data-notes]");
    const wasMine = Boolean(pane.querySelector("#reply"));
    transcript.lastElementChild?.scrollIntoView({block: "nearest"});
    poll(() => pane.dataset.source + "?after=" + pane.dataset.count, Number(pane.dataset.poll || 3), (data) => {
      if (data.reload) { window.location.reload(); return false; }
      if (data.gone) { banner(data.message); return false; }
      pane.dataset.count = data.count;
      data.entries.forEach((entry) => (entry.by === "note" ? notes : transcript).append(entryNode(entry)));
      if (data.entries.length) transcript.lastElementChild?.scrollIntoView({block: "nearest"});
      const status = data.status;
      pane.querySelectorAll("[data-status]").forEach((node) => { node.textContent = status[node.dataset.status] || ""; });
      if (wasMine && !status.mine) {
        banner("This conversation is no longer yours (closed, stopped or handed on).",
               {href: window.location.pathname, text: "Reload"});
        pane.querySelectorAll("form button").forEach((button) => { button.disabled = true; });
      }
    });
  }

  function startCannedReplies() {
    const box = document.getElementById("reply-text");
    if (!box) return;
    document.querySelectorAll("[data-canned]").forEach((button) => {
      button.addEventListener("click", () => {
        box.value = box.value.trim() ? box.value.trimEnd() + " " + button.dataset.canned : button.dataset.canned;
        box.dispatchEvent(new Event("input"));
        box.focus();
      });
    });
  }

  function startCounters() {
    document.querySelectorAll("[data-counter]").forEach((box) => {
      const counter = document.getElementById(box.dataset.counter);
      const update = () => { counter.textContent = box.value.length + " / " + box.maxLength + " characters"; };
      box.addEventListener("input", update);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll('[data-live="queue"]').forEach(startQueue);
    document.querySelectorAll('[data-live="mine"]').forEach(startMine);
    document.querySelectorAll('[data-live="conversation"]').forEach(startConversation);
    startCannedReplies();
    startCounters();
  });
})();
