// Dozor workspace: the only script (served from our own origin; the CSP allows no inline script).
"use strict";
(function () {
  var body = document.body;
  var csrf = body.getAttribute("data-csrf") || "";

  // Sign-in from the Telegram Mini App: Telegram puts the signed initData in the URL's fragment.
  var tgForm = document.getElementById("tg-login");
  if (tgForm) {
    var data = new URLSearchParams(location.hash.slice(1)).get("tgWebAppData");
    if (data) {
      document.getElementById("init-data").value = data;
      tgForm.classList.remove("hidden");
      tgForm.submit();
    }
  }

  // The queue: new items appear without a reload; what is being typed is never touched.
  var queue = document.getElementById("queue");
  if (queue) {
    var poll = function () {
      fetch(queue.getAttribute("data-poll"), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) return;
          var fresh = document.createElement("ul");
          fresh.innerHTML = html;
          var ids = {};
          fresh.querySelectorAll("li.item").forEach(function (li) { ids[li.getAttribute("data-id")] = li; });
          queue.querySelectorAll("li.item").forEach(function (li) {
            var id = li.getAttribute("data-id");
            var busy = li.contains(document.activeElement) || (li.querySelector("textarea") || {}).value;
            if (!ids[id] && !busy) li.remove();
            delete ids[id];
          });
          var empty = queue.querySelector("li.empty");
          Object.keys(ids).forEach(function (id) {
            var li = ids[id];
            if (!li.classList.contains("item")) return;
            li.classList.add("new");
            queue.appendChild(li);
          });
          var any = queue.querySelector("li.item");
          if (any && empty) empty.remove();
        })
        .catch(function () {});
    };
    setInterval(poll, 3000);
  }

  // The rules editor: line numbers, and the text checked as you type (errors at their line).
  var rules = document.getElementById("rules");
  if (rules) {
    var gutter = document.getElementById("gutter");
    var status = document.getElementById("rules-status");
    var draw = function (bad) {
      var n = rules.value.split("\n").length;
      gutter.textContent = "";
      for (var i = 1; i <= n; i++) {
        var s = document.createElement("span");
        s.textContent = i + "\n";
        if (i === bad) s.className = "bad";
        gutter.appendChild(s);
      }
    };
    var timer = null;
    var check = function () {
      fetch(rules.getAttribute("data-check"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf },
        body: new URLSearchParams({ rules: rules.value }).toString()
      })
        .then(function (r) { return r.json(); })
        .then(function (answer) {
          status.textContent = answer.message;
          status.className = answer.ok ? "ok" : "error";
          status.setAttribute("data-line", String(answer.line || 0));
          draw(answer.line || 0);
        })
        .catch(function () {});
    };
    rules.addEventListener("input", function () {
      draw(0);
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
    rules.addEventListener("scroll", function () { gutter.scrollTop = rules.scrollTop; });
    draw(parseInt(status.getAttribute("data-line") || "0", 10));
  }
})();
