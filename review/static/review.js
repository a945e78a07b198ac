// Keys for curators (progressive: every action is also a plain form or link).
(function () {
  "use strict";
  function typing(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  function submit(id) {
    var form = document.getElementById(id);
    if (form) { form.requestSubmit ? form.requestSubmit() : form.submit(); }
  }
  function follow(id) {
    var link = document.getElementById(id);
    if (link) { window.location.assign(link.getAttribute("href")); }
  }
  function queueKeys(key) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr.row"));
    if (!rows.length) { return; }
    var current = rows.findIndex(function (r) { return r.classList.contains("selected"); });
    if (key === "j" || key === "k") {
      var next = current < 0 ? 0 : Math.max(0, Math.min(rows.length - 1, current + (key === "j" ? 1 : -1)));
      if (current >= 0) { rows[current].classList.remove("selected"); }
      rows[next].classList.add("selected");
      rows[next].scrollIntoView({block: "nearest"});
    } else if ((key === "Enter" || key === "o") && current >= 0) {
      window.location.assign(rows[current].getAttribute("data-href"));
    }
  }
  function candidateKeys(key) {
    var actions = {a: "form-accept", r: "form-reject", m: "form-merge", s: "form-snooze", u: "form-undo"};
    var entry = document.getElementById("merge-into");
    if (key === "m" && !document.querySelector("#form-merge input[type=radio]:checked") && entry && !entry.value) {
      entry.focus();  // no match to merge into: ask for the entry id first
    } else if (actions[key]) { submit(actions[key]); }
    else if (key === "j") { follow("next"); }
    else if (key === "k") { follow("prev"); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event)) { return; }
    var page = document.body.getAttribute("data-page");
    if (page === "queue") { queueKeys(event.key); }
    else if (page === "candidate") { candidateKeys(event.key); }
  });
})();
