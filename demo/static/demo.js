// The demo's two phones: each shows what it texted the hotline and what the line texted it, asked
// for every second; sending posts to /demo/text, which signs the text as Twilio would.
(function () {
  "use strict";
  var csrf = document.querySelector('meta[name="csrf-token"]').content;

  function render(phone, messages) {
    var screen = document.querySelector('[data-phone="' + phone + '"] .screen');
    if (!screen || screen.children.length === messages.length) { return; }
    screen.textContent = "";
    messages.forEach(function (message) {
      var item = document.createElement("li");
      item.className = message.by;
      item.textContent = message.text;
      screen.appendChild(item);
    });
    screen.scrollTop = screen.scrollHeight;
  }

  async function refresh() {
    try {
      var response = await fetch("/demo/phones", { credentials: "same-origin" });
      var phones = await response.json();
      Object.keys(phones).forEach(function (phone) { render(phone, phones[phone]); });
    } catch (error) { /* the line is restarting: ask again next second */ }
  }

  document.querySelectorAll(".phone form").forEach(function (form) {
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      var input = form.elements.body, body = input.value.trim();
      if (!body) { return; }
      input.value = "";
      await fetch("/demo/text", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ phone: form.closest(".phone").dataset.phone, body: body })
      });
      refresh();
    });
  });
  refresh();
  setInterval(refresh, 1000);
})();
