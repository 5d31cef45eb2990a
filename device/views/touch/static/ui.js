// Fredag's handheld screen: applies the meeting's server-sent events (/handelser) to the page,
// fills recent case references, and shows that a slow action is under way. No inline script.
(function () {
  "use strict";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function setLevel(fill, level) {
    fill.style.width = level + "%";
    var bar = fill.parentNode;
    if (bar) bar.setAttribute("aria-valuenow", String(level));
  }

  // The start screen's microphone check: the input's level while it listens, then its verdict.
  function micCheck(box) {
    var fill = document.getElementById("mic-level-fill");
    var result = document.getElementById("mic-result");
    var detail = document.getElementById("mic-detail");
    var kinds = { ok: "banner notice", silent: "banner warning", failed: "banner error" };
    var source = null;
    setLevel(fill, Number(fill.dataset.level || 0));

    function listen() {
      if (source) source.close();
      source = new EventSource("/mikrofon/niva");
      source.onmessage = function (msg) {
        var c = JSON.parse(msg.data);
        setLevel(fill, c.level);
        result.textContent = c.text;
        result.className = (c.outcome && kinds[c.outcome]) || "";
        detail.hidden = !c.detail;
        detail.querySelector("span").textContent = c.detail;
        if (!c.running) { source.close(); source = null; }
      };
    }

    document.body.addEventListener("htmx:afterRequest", function (ev) {
      if (ev.detail.elt.id === "mic-form" && ev.detail.successful) listen();
    });
    if (box.dataset.running === "1") listen();
  }

  function live(root) {
    var labels = root.dataset;
    var segments = document.getElementById("segments");
    var tentative = document.getElementById("tentative");
    var chips = document.getElementById("chips");
    var marks = document.getElementById("marks");
    var fill = document.getElementById("level-fill");
    var banners = document.getElementById("banners");
    setLevel(fill, Number(fill.dataset.level || 0));

    function state(name, elapsed) {
      var box = document.getElementById("state");
      box.className = "state state-" + name;
      document.getElementById("state-text").textContent =
        labels["l" + name.charAt(0).toUpperCase() + name.slice(1)] || name;
      document.getElementById("pause-form").hidden = name !== "recording";
      document.getElementById("resume-form").hidden = name !== "paused";
      if (elapsed) document.getElementById("elapsed").textContent = elapsed;
    }

    // A line's speaker: a link to "who said it?" (the line's number only in the URL),
    // marked when the device changed the label with hindsight.
    function whoLink(i, who, uncertain, revised) {
      var a = el("a", "button who", (who || labels.lUnknown) + (uncertain ? "?" : ""));
      if (revised) a.appendChild(el("span", "revised", " (" + labels.lRevised + ")"));
      a.href = "/samtal/talare?rad=" + i;
      a.appendChild(el("span", "sr-only", " – " + labels.lCorrect));
      return a;
    }

    var handlers = {
      segment: function (c) {
        var li = el("li");
        li.id = "seg-" + c.i;
        li.tabIndex = -1;
        li.appendChild(el("span", "at", c.at));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(whoLink(c.i, c.who, c.uncertain, c.revised));
        li.appendChild(document.createTextNode(" " + c.text));
        var follow = window.innerHeight + window.scrollY >= document.body.scrollHeight - 80;
        segments.appendChild(li);
        if (follow) tentative.scrollIntoView({ block: "end" });
      },
      tentative: function (c) { tentative.textContent = c.text; },
      chip: function (c) {
        document.getElementById("no-factors").hidden = true;
        var a = el("a", "chip " + c.kind);
        a.href = "#seg-" + c.segment;
        a.appendChild(el("span", "kind", c.kind === "risk" ? labels.lRisk : labels.lProtective));
        a.appendChild(document.createTextNode(" " + c.name + " "));
        a.appendChild(el("q", "", c.quote));
        var li = el("li");
        li.appendChild(a);
        chips.appendChild(li);
      },
      // A speaker correction re-read some lines: the whole list again (withdrawn ones go).
      chips: function (c) {
        chips.textContent = "";
        c.chips.forEach(handlers.chip);
        document.getElementById("no-factors").hidden = c.chips.length > 0;
      },
      level: function (c) {
        setLevel(fill, c.level);
        document.getElementById("elapsed").textContent = c.elapsed;
      },
      speaker: function (c) {
        var li = document.getElementById("seg-" + c.i);
        var old = li && li.querySelector("a.who");
        if (old) li.replaceChild(whoLink(c.i, c.who, c.uncertain, c.revised), old);
      },
      mark: function (c) { marks.appendChild(el("li", "", labels.lMarked + " [" + c.at + "]")); },
      state: function (c) { state(c.state, c.elapsed); },
      // A notice, warning or error, worded on the server in both languages.
      banner: function (c) {
        var box = el("div", "banner " + c.kind);
        box.id = "banner-" + c.id;
        box.appendChild(el("p", "", document.documentElement.lang === "en" ? c.en : c.sv));
        if (c.detail) {
          var help = el("p", "help", banners.dataset.lDetail + ": ");
          var detail = el("span", "", c.detail);
          detail.lang = "en";
          help.appendChild(detail);
          box.appendChild(help);
        }
        banners.appendChild(box);
      },
      // A failure ended the meeting (its banner is up): the way on instead of the controls.
      stopped: function (c) {
        document.getElementById("controls").hidden = true;
        document.getElementById("stopped-draft").hidden = c.how !== "draft";
        document.getElementById("stopped-finish").hidden = c.how !== "finish";
        document.getElementById("stopped").hidden = false;
      },
      unbanner: function (c) {
        var old = document.getElementById("banner-" + c.id);
        if (old) old.remove();
      },
      "goto": function (c) { window.location.assign(c.url); },
      reload: function () { window.location.reload(); }
    };

    var source = new EventSource("/handelser?efter=" + encodeURIComponent(root.dataset.seq));
    source.onmessage = function (msg) {
      var change = JSON.parse(msg.data);
      var handle = handlers[change.op];
      if (handle) handle(change);
      if (change.op === "goto" || change.op === "reload") source.close();
    };

    // Tap on a factor: scroll to its quote and show where it is.
    chips.addEventListener("click", function (ev) {
      var a = ev.target.closest("a.chip");
      if (!a) return;
      var target = document.getElementById(a.getAttribute("href").slice(1));
      if (!target) return;
      ev.preventDefault();
      target.scrollIntoView({ block: "center" });
      target.classList.add("flash");
      target.focus();
      setTimeout(function () { target.classList.remove("flash"); }, 2000);
    });
  }

  function waitForDraft(node) {
    setTimeout(function () { window.location.assign(node.dataset.wait); }, 1000);
  }

  // The locked screen shows only that the meeting is recorded, and for how long.
  function lockedClock(node) {
    setInterval(function () {
      fetch("/lasat/tid", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (t) { if (t) node.textContent = t; });
    }, 1000);
  }

  // "Min röst" while recording: the input level and time, until the reading is checked.
  function voiceLive(node) {
    var fill = document.getElementById("level-fill");
    setLevel(fill, Number(fill.dataset.level || 0));
    var timer = setInterval(function () {
      fetch("/rost/niva", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { phase: "done" }; })
        .then(function (s) {
          if (s.phase === "done") {
            clearInterval(timer);
            window.location.assign(node.dataset.done);
            return;
          }
          setLevel(fill, s.level);
          document.getElementById("voice-elapsed").textContent = s.elapsed;
          document.getElementById("voice-left").textContent = String(s.left);
          if (s.phase === "checking") {
            document.getElementById("voice-phase-text").textContent =
              document.getElementById("voice-phase").dataset.lChecking;
          }
        });
    }, 250);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var voice = document.getElementById("voice-live");
    if (voice) voiceLive(voice);
    var clock = document.getElementById("locked-elapsed");
    if (clock) lockedClock(clock);
    var mic = document.getElementById("miccheck");
    if (mic) micCheck(mic);
    var root = document.getElementById("live");
    if (root) live(root);
    var waiting = document.getElementById("stopping");
    if (waiting) waitForDraft(waiting);
    document.querySelectorAll("button[data-fill]").forEach(function (b) {
      b.addEventListener("click", function () {
        var input = document.getElementById(b.dataset.fill);
        input.value = b.dataset.value;
        input.focus();
      });
    });
    document.querySelectorAll("button[data-busy]").forEach(function (b) {
      b.form.addEventListener("submit", function (ev) {
        if (ev.submitter === b) b.textContent = b.dataset.busy;
      });
    });
  });
})();
