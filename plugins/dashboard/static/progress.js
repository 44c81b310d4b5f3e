// Live progress of a broadcast: poll its JSON view and update the numbers in place.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  var shown = box.getAttribute("data-status");
  function set(id, value) {
    var el = document.getElementById(id);
    if (el) { el.textContent = String(value); }
  }
  function tick() {
    fetch(url, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { return; }
        set("p-sent", p.sent); set("p-failed", p.failed); set("p-remaining", p.remaining);
        set("p-total", p.total); set("p-percent", p.percent); set("p-status", p.status);
        var bar = document.getElementById("p-bar");
        if (bar) { bar.value = p.percent; }
        var status = document.getElementById("p-status");
        if (status) { status.className = "badge " + p.status; }
        if (p.status !== shown && (p.status === "done" || p.status === "cancelled")) {
          shown = p.status;
          window.location.reload();  // the buttons change with the state
        }
      })
      .catch(function () { /* the next tick tries again */ });
  }
  window.setInterval(tick, 1000);
})();
