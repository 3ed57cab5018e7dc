// Keyboard triage of the suggestions inbox: j/k move between cards, s scoops (opens the capture
// flow), d dismisses, u undoes. Every key only presses a link or submits a form that also works
// without this file; HTMX (when loaded) swaps the card or the list, and this file then moves the
// focus and announces what happened through the page's live region.
(function () {
  "use strict";

  function cards() {
    return Array.prototype.slice.call(
      document.querySelectorAll("#suggestion-list .suggestion:not(.is-dismissed)")
    );
  }

  function current() {
    var active = document.activeElement;
    var card = active && active.closest ? active.closest(".suggestion") : null;
    return card && !card.classList.contains("is-dismissed") ? card : null;
  }

  function focusCard(card) {
    if (!card) return;
    card.focus();
    card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = cards();
    if (!all.length) return;
    var index = all.indexOf(current());
    var next = index < 0 ? 0 : Math.min(all.length - 1, Math.max(0, index + step));
    focusCard(all[next]);
  }

  function announce(text) {
    var status = document.getElementById("inbox-status");
    if (!status || !text) return;
    status.textContent = "";
    // A new text node after a tick: screen readers announce changes, not repeats.
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function submit(form) {
    if (!form) return;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  var pendingFocus = null; // the card to focus once a dismissed card is swapped

  function act(key) {
    var card = current() || cards()[0];
    if (key === "j") return move(1);
    if (key === "k") return move(-1);
    if (key === "u") return submit(document.getElementById("undo-form"));
    if (!card) return;
    if (key === "s") {
      var link = card.querySelector("a.scoop-link");
      if (link) window.location.assign(link.href);
    } else if (key === "d") {
      var all = cards();
      var index = all.indexOf(card);
      pendingFocus = all[index + 1] || all[index - 1] || null;
      submit(card.querySelector("form.dismiss-form"));
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    if (["j", "k", "s", "d", "u"].indexOf(event.key) < 0) return;
    if (!document.getElementById("suggestion-list")) return;
    event.preventDefault();
    act(event.key);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.detail && event.detail.elt;
    if (!swapped || !swapped.getAttribute) return;
    var list = document.getElementById("suggestion-list");
    if (swapped.classList.contains("is-dismissed")) {
      announce(swapped.getAttribute("data-announce"));
      focusCard(pendingFocus && document.body.contains(pendingFocus) ? pendingFocus : cards()[0]);
      pendingFocus = null;
    } else if (list && (swapped === list || swapped.id === "suggestion-list")) {
      announce(list.getAttribute("data-announce"));
      focusCard(list.querySelector(".suggestion[data-restored]") || cards()[0]);
    }
  });
})();
