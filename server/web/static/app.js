// Fredag web view: highlight a factor's quotes, pick a quote for a new factor, show errors.
// No inline scripts anywhere (the Content-Security-Policy forbids them); HTMX is vendored.
(function () {
  "use strict";

  function marksFor(key) {
    return Array.prototype.filter.call(
      document.querySelectorAll("#transcript-body mark.ev"),
      function (m) { return (m.getAttribute("data-f") || "").split(" ").indexOf(key) >= 0; }
    );
  }

  function choose(key, anchor) {
    document.querySelectorAll("#transcript-body mark.active").forEach(function (m) {
      m.classList.remove("active");
    });
    document.querySelectorAll(".factor-btn").forEach(function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-key") === key ? "true" : "false");
    });
    document.querySelectorAll(".factor").forEach(function (li) {
      li.classList.toggle("chosen", li.getAttribute("data-key") === key);
    });
    var marks = marksFor(key);
    marks.forEach(function (m) { m.classList.add("active"); });
    var target = anchor ? document.getElementById(anchor) : marks[0];
    if (target) {
      target.scrollIntoView({ block: "center", behavior: "smooth" });
    }
    var flash = document.getElementById("flash");
    if (flash) { flash.textContent = ""; }
  }

  document.addEventListener("click", function (event) {
    var btn = event.target.closest ? event.target.closest(".factor-btn") : null;
    if (btn) {
      choose(btn.getAttribute("data-key"), null);
      return;
    }
    var link = event.target.closest ? event.target.closest(".ev-link") : null;
    if (link) {
      event.preventDefault();
      choose(link.getAttribute("data-key"), link.getAttribute("href").slice(1));
    }
  });

  function offsetWithin(container, node, offset) {
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function pickQuote() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return; }
    var range = sel.getRangeAt(0);
    var startEl = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    var endEl = range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement;
    var seg = startEl && startEl.closest ? startEl.closest(".seg-text") : null;
    if (!seg || !endEl || endEl.closest(".seg-text") !== seg) { return; }
    var start = offsetWithin(seg, range.startContainer, range.startOffset);
    var end = offsetWithin(seg, range.endContainer, range.endOffset);
    var raw = seg.textContent.slice(start, end);
    var lead = raw.length - raw.replace(/^\s+/, "").length;
    var quote = raw.trim();
    if (!quote) { return; }
    var quoteInput = document.getElementById("add-quote");
    if (!quoteInput) { return; }
    quoteInput.value = quote;
    document.getElementById("add-segment").value = seg.getAttribute("data-seg");
    document.getElementById("add-char-start").value = String(start + lead);
    var flash = document.getElementById("flash");
    if (flash) { flash.textContent = (document.documentElement.lang === "en" ? "Quote chosen: " : "Valt citat: ") + "”" + quote + "”"; }
  }

  // A refused form comes back as the whole page at the form's address: give the tab the
  // page's own address, so a reload reads the page again and never re-posts the form.
  var main = document.getElementById("main");
  var own = main ? main.getAttribute("data-address") : null;
  if (own && window.history && window.history.replaceState) {
    window.history.replaceState(null, "", own);
  }
  // ... and bring its message (beside the form) into view.
  var refused = document.querySelector("main form .error-msg[role=alert]");
  if (refused) {
    refused.setAttribute("tabindex", "-1");
    refused.scrollIntoView({ block: "center" });
    refused.focus({ preventScroll: true });
  }

  // A refused add-factor form comes back with the chosen factor kept (the options are cached).
  var keptFactor = document.querySelector("#add-factor-slug[data-kept]");
  if (keptFactor) { keptFactor.value = keptFactor.getAttribute("data-kept"); }

  document.addEventListener("mouseup", function (event) {
    if (event.target.closest && event.target.closest("#transcript-body")) { pickQuote(); }
  });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey && event.target.closest && event.target.closest("#transcript-body")) { pickQuote(); }
  });
  document.addEventListener("input", function (event) {
    if (event.target && event.target.id === "add-quote") {
      var start = document.getElementById("add-char-start");
      if (start) { start.value = ""; }
    }
  });

  // Search the transcript (the attachment) and filter it by speaker: show only the lines
  // holding the words typed, said by the speaker chosen.
  function filterTranscript() {
    var search = document.getElementById("transcript-search");
    var speaker = document.getElementById("transcript-speaker");
    var wanted = search ? search.value.trim().toLowerCase() : "";
    var who = speaker ? speaker.value : "";
    document.querySelectorAll("#transcript-body p.seg").forEach(function (p) {
      var text = (p.querySelector(".seg-text") || p).textContent.toLowerCase();
      p.hidden = (wanted !== "" && text.indexOf(wanted) < 0) ||
        (who !== "" && p.getAttribute("data-speaker") !== who);
    });
  }
  ["input", "change"].forEach(function (kind) {
    document.addEventListener(kind, function (event) {
      var id = event.target && event.target.id;
      if (id === "transcript-search" || id === "transcript-speaker") { filterTranscript(); }
    });
  });

  // Keep keyboard focus on the same decision button when HTMX swaps the review region,
  // and announce the factor's new state in the live region.
  var lastFocus = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var el = document.activeElement;
    var li = el && el.closest ? el.closest("li.factor") : null;
    lastFocus = li ? { key: li.getAttribute("data-key"), accept: el.classList.contains("accept") } : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!lastFocus) { return; }
    var li = document.querySelector('li.factor[data-key="' + lastFocus.key + '"]');
    var button = li ? li.querySelector(lastFocus.accept ? "button.accept" : "button.reject") : null;
    if (button) { button.focus(); }
    var flash = document.getElementById("flash");
    var state = li ? li.querySelector(".fstatus") : null;
    var name = li ? li.querySelector(".factor-btn") : null;
    if (flash && state && name) {
      flash.classList.remove("bad");
      flash.textContent = name.textContent + ": " + state.textContent;
    }
    lastFocus = null;
  });

  document.addEventListener("htmx:responseError", function (event) {
    var flash = document.getElementById("flash");
    var xhr = event.detail && event.detail.xhr;
    if (flash && xhr) {
      flash.textContent = xhr.responseText || String(xhr.status);
      flash.classList.add("bad");
    }
  });
})();
