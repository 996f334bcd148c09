// Site search: accents, case and plurals folded on both sides; a sheet number ranks its sheet first.
(function () {
  "use strict";
  var input = document.getElementById("cv-q");
  if (!input) return;
  var status = document.getElementById("cv-status");
  var list = document.getElementById("cv-results");
  var script = document.querySelector('script[src*="recherche.js"]');
  var base = new URL("../", script.src);

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae");
  }
  function stem(w) {
    if (/^[0-9]/.test(w) || w.length < 4) return w;
    if (w.length > 5 && /aux$/.test(w)) return w.slice(0, -3) + "al";
    if (/[sx]$/.test(w)) w = w.slice(0, -1);
    return w;
  }
  function tokens(s) {
    return fold(s).split(/[^a-z0-9.]+/).map(function (t) { return t.replace(/^\.+|\.+$/g, ""); })
      .filter(Boolean).map(stem);
  }

  var entries = null;
  function load() {
    if (entries) return Promise.resolve(entries);
    return fetch(new URL("recherche-index.json", base)).then(function (r) { return r.json(); }).then(function (data) {
      entries = data.map(function (e) {
        return { url: e.url, title: e.title, id: e.id, text: e.text,
                 titleTokens: tokens(e.title), textTokens: tokens(e.text) };
      });
      return entries;
    });
  }

  function score(entry, query) {
    var total = 0;
    for (var i = 0; i < query.length; i++) {
      var q = query[i], last = i === query.length - 1, hit = 0;
      if (entry.id && q === entry.id) hit += 1000;
      entry.titleTokens.forEach(function (t) { if (t === q || (last && q.length > 2 && t.indexOf(q) === 0)) hit += 10; });
      var inText = 0;
      entry.textTokens.forEach(function (t) { if (t === q || (last && q.length > 2 && t.indexOf(q) === 0)) inText += 1; });
      hit += Math.min(inText, 20);
      if (!hit) return 0;
      total += hit;
    }
    return total;
  }

  function snippet(text, query) {
    var folded = fold(text), at = -1;
    query.forEach(function (q) { var i = folded.indexOf(q); if (i >= 0 && (at < 0 || i < at)) at = i; });
    var start = Math.max(0, at - 60);
    return (start ? "… " : "") + text.slice(start, start + 200) + (start + 200 < text.length ? " …" : "");
  }

  function run(q) {
    var query = tokens(q);
    list.textContent = "";
    if (!query.length) { status.textContent = ""; return; }
    load().then(function (all) {
      var found = all.map(function (e) { return { e: e, s: score(e, query) }; })
        .filter(function (r) { return r.s > 0; })
        .sort(function (a, b) { return b.s - a.s || a.e.title.localeCompare(b.e.title, "fr"); })
        .slice(0, 50);
      status.textContent = found.length ? found.length + " résultat" + (found.length > 1 ? "s" : "") + " pour « " + q + " »"
                                        : "Aucun résultat pour « " + q + " »";
      found.forEach(function (r) {
        var li = document.createElement("li"), a = document.createElement("a"), p = document.createElement("p");
        a.href = new URL(r.e.url, base).href;
        a.textContent = r.e.title;
        p.textContent = snippet(r.e.text, query);
        li.appendChild(a); li.appendChild(p); list.appendChild(li);
      });
    });
  }

  var params = new URLSearchParams(location.search);
  if (params.get("q")) { input.value = params.get("q"); run(input.value); }
  input.addEventListener("input", function () { run(input.value); });
  input.form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });
})();
