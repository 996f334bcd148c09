// Site search: a panel of ours over Pagefind's JS API (index built by generator/site/search.py).
// One code path for the header box (results as you type, in a panel) and the « Rechercher » page.
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="recherche.js"]');
  var root = new URL("../", script.src);
  var PAGE = 6;  // results whose excerpt is loaded at once (each loads its page's fragment)
  var HEAD = 12;  // first results put in order by their titles (see ranked)
  var engine = null;

  function pagefind() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        // From the header box, no web worker: its script would add 11 KB to the first query. The
        // « Rechercher » page, which searches as it opens, keeps the main thread free with one.
        var noWorker = !document.querySelector('form[data-cv-search="page"]');
        return pf.options({ excerptLength: 24, noWorker: noWorker }).then(function () { return pf; });
      });
    }
    return engine;
  }

  // What the panel offers, in the contract's words (written by generator/site/search.py from the levels the
  // contract declares): its « type » filters with their labels and the tags of their results, the type whose
  // titles count double, and for each level the words that may come before a number and its items' numbers
  // as shown, with their pages. Without it, no filter but « Tout », and no number known.
  var setup = fetch(new URL("recherche/types.json", root).href).then(function (r) {
    return r.ok ? r.json() : Promise.reject(new Error(String(r.status)));
  }).catch(function () { return {}; }).then(function (s) {
    var levels = (Array.isArray(s.levels) ? s.levels : []).map(function (l) {
      var numbers = Object.create(null);  // by key: a number is data, never a property of Object
      (Array.isArray(l.numbers) ? l.numbers : []).forEach(function (pair) {
        var k = key(String(pair[0]));
        (numbers[k] = numbers[k] || []).push({ shown: String(pair[0]), url: String(pair[1]), holds: Number(pair[2]) || 0 });
      });
      return { words: (Array.isArray(l.words) ? l.words : []).map(function (w) { return fold(String(w)); }), numbers: numbers };
    });
    var tags = {};
    var kinds = (Array.isArray(s.kinds) ? s.kinds : []).map(function (k) {
      tags[k.value] = String(k.tag);
      return [String(k.value), String(k.label)];
    });
    return {
      kinds: [["", "Tout"]].concat(kinds),
      tags: tags,
      cited: String(s.cited || ""),
      levels: levels
    };
  });

  // A number as typed or shown, compared: folded, without spaces, any dash or point one separator.
  function key(s) {
    return fold(s).replace(/\s+/g, "").replace(/[.\-‑–]/g, ".");
  }

  // The items a query names by their number as the contract shows it (« 2.4.3 », « 2-4-3 », « n°2.4 »,
  // « défi III », « chantier B.2 »), after the words of a level or none; null for other queries. Each item is
  // {shown, url, holds: how many items it holds}. A number is looked for in the levels the words name, then
  // in all, the deepest first (the second level's words before the first level's « 2 » still find it).
  function number(query, said) {
    var q = fold(query), all = said.levels.slice().reverse(), tries = [[all, q]];
    said.levels.forEach(function (level) {
      level.words.forEach(function (w) {
        if (w && q.slice(0, w.length) === w) tries.push([level, q.slice(w.length), w.length]);
      });
    });
    tries.sort(function (a, b) { return (b[2] || 0) - (a[2] || 0); });  // the longest words first, none last
    for (var i = 0; i < tries.length; i++) {
      var rest = tries[i][1], order = [].concat(tries[i][0], all);
      var keys = [key(rest), key(rest.replace(/^\s*n\s*[°o]?\s*/, ""))];
      for (var j = 0; j < order.length; j++) {
        for (var k = 0; k < keys.length; k++) {
          if (keys[k] && order[j].numbers[keys[k]]) return order[j].numbers[keys[k]];
        }
      }
    }
    return null;
  }

  // Short grammatical words are left out of the query: each word loads a part of the index, and these
  // ones are on every page.
  var STOP = /^(?:a|à|au|aux|d|de|des|du|en|et|l|la|le|les|ou|par|pour|sur|un|une)$/i;
  function words(query) {
    var kept = query.split(/[\s'’]+/).filter(function (w) { return w && !STOP.test(w); });
    return kept.length ? kept.join(" ") : query;
  }

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  // Pagefind's excerpt is text with <mark> around the words found: rebuilt as DOM nodes, nothing else kept.
  function excerpt(html) {
    var out = document.createElement("p");
    out.className = "cv-search__excerpt";
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    doc.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        out.appendChild(mark);
      } else {
        out.appendChild(document.createTextNode(node.textContent));
      }
    });
    return out;
  }

  function attach(form) {
    var inline = form.getAttribute("data-cv-search") === "page";
    var input = form.querySelector("input[type=search]");
    var id = input.id;
    var panel = document.createElement("div");
    panel.className = "cv-search__panel";
    panel.id = id + "-panel";
    var kinds = document.createElement("fieldset");
    kinds.className = "cv-search__kinds";
    var legend = document.createElement("legend");
    legend.textContent = "Type de page";
    kinds.appendChild(legend);
    var ready = setup.then(function (words) {
      words.kinds.forEach(function (kind, i) {
        var label = document.createElement("label");
        var radio = document.createElement("input");
        radio.type = "radio";
        radio.name = "type";
        radio.value = kind[0];
        radio.checked = i === 0;
        label.appendChild(radio);
        label.appendChild(document.createTextNode(" " + kind[1]));
        kinds.appendChild(label);
      });
      return words;
    });
    var status = document.createElement("p");
    status.className = "cv-search__status";
    status.setAttribute("role", "status");
    var list = document.createElement("ol");
    list.className = "cv-search__results";
    list.setAttribute("aria-label", "Résultats");
    var more = document.createElement("p");
    more.className = "cv-search__more";
    panel.appendChild(kinds);
    panel.appendChild(status);
    panel.appendChild(list);
    panel.appendChild(more);
    form.appendChild(panel);
    if (!inline) panel.hidden = true;

    var current = 0;  // the latest query run: older answers are dropped

    function kind() {
      var checked = kinds.querySelector("input:checked");
      return checked ? checked.value : "";
    }

    function open() { panel.hidden = false; }
    function close() { if (!inline) panel.hidden = true; }

    // When the words are not in the page's opening (title and first lines) but further down a long page,
    // the section where they are found most: its address, its title and its excerpt.
    function place(data) {
      var subs = data.sub_results || [];  // the page's sections where the words are
      var found = function (sub) { return sub.locations ? sub.locations.length : 0; };
      var opening = subs.some(function (sub) { return sub.url.indexOf("#") < 0 || sub.title === data.meta.title; });
      if (!subs.length || opening) return { url: data.url, excerpt: data.excerpt, section: "" };
      var best = subs.reduce(function (a, b) { return found(b) > found(a) ? b : a; });
      return { url: best.url, excerpt: best.excerpt, section: best.title };
    }

    function item(data, kindOf, tags) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      var where = place(data);
      a.href = where.url;
      a.textContent = (data.meta.title || data.url) + (where.section ? " › " + where.section : "");
      li.appendChild(a);
      if (kindOf && Object.prototype.hasOwnProperty.call(tags, kindOf)) {
        var tag = document.createElement("span");
        tag.className = "cv-search__kind";
        tag.textContent = tags[kindOf];
        li.appendChild(tag);
      }
      li.appendChild(excerpt(where.excerpt));
      return li;
    }

    function show(results, shown, run, words) {
      var batch = results.slice(shown, shown + (inline ? PAGE * 2 : PAGE));
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (all) {
        if (run !== current) return;
        all.forEach(function (data) {
          var types = data.filters && data.filters.type;
          list.appendChild(item(data, types && types[0], words.tags));
        });
        var total = shown + all.length;
        more.textContent = "";
        if (total < results.length) {
          if (inline) {
            var button = document.createElement("button");
            button.type = "button";
            button.className = "md-button";
            button.textContent = "Afficher plus de résultats";
            button.addEventListener("click", function () {
              var next = list.children.length;
              show(results, total, run, words).then(function () {
                if (list.children[next]) list.children[next].querySelector("a").focus();
              });
            });
            more.appendChild(button);
          } else {
            var all_ = document.createElement("a");
            all_.href = new URL("recherche/?q=" + encodeURIComponent(input.value) +
                                (kind() ? "&type=" + kind() : ""), root).href;
            all_.textContent = "Voir les " + results.length + " résultats";
            more.appendChild(all_);
          }
        }
      });
    }

    // Said once the results are on screen, for screen readers (role status).
    function announce(query, count, run) {
      if (run !== current) return;
      status.textContent = count
        ? count + " résultat" + (count > 1 ? "s" : "") + " pour « " + query + " »"
        : "Aucun résultat pour « " + query + " »";
    }

    // The items numbered `n` (number() found them): their pages, then the pages they hold (number and parent
    // filters). The number is also the search term (Pagefind reads « 2.4 » as the word « 24 », a prefix of
    // « 241 »): a search with filters only would load the whole word index, and is made only when the term
    // is not a word of the pages (« III » is not in the pages of the items under défi III). Null when no
    // page has that number.
    function byNumber(pf, n, filters, alone) {
      var shown = n[0].shown, term = alone ? null : shown;
      var holds = n.some(function (item) { return item.holds; });
      var own = pf.search(term, { filters: Object.assign({ numero: shown }, filters) });
      var children = pf.search(term, { filters: Object.assign({ parent: shown }, filters) });
      return Promise.all([own, children]).then(function (answers) {
        if (!alone && (!answers[0].results.length || (holds && !answers[1].results.length))) {
          return byNumber(pf, n, filters, true);
        }
        if (!answers[0].results.length) return null;
        var results = answers[0].results.concat(answers[1].results);
        return Promise.all(results.map(function (r) { return r.data(); })).then(function (all) {
          var key = function (d) { return ((d.filters && d.filters.numero) || [""])[0]; };
          var rest = all.slice(1).sort(function (a, b) { return key(a).localeCompare(key(b), "fr", { numeric: true }); });
          return [all[0]].concat(rest).map(function (d) { return { data: function () { return Promise.resolve(d); } }; });
        });
      });
    }

    function run() {
      var query = input.value.trim();
      var run = ++current;
      list.textContent = "";
      more.textContent = "";
      status.textContent = "";
      if (!query) { close(); return; }
      open();
      var filters = kind() ? { type: kind() } : {};
      Promise.all([pagefind(), ready]).then(function (loaded) {
        var pf = loaded[0], said = loaded[1], n = number(query, said);
        return (n ? byNumber(pf, n, filters) : Promise.resolve(null)).then(function (numbered) {
          if (run !== current) return;
          if (numbered) return show(numbered, 0, run, said).then(function () { announce(query, numbered.length, run); });
          return pf.debouncedSearch(words(query), { filters: filters }, 150).then(function (answer) {
            if (run !== current || !answer) return;
            return ranked(pf, query, answer.results, filters, said.cited).then(function (ordered) {
              if (run !== current) return;
              return show(ordered, 0, run, said).then(function () { announce(query, ordered.length, run); });
            });
          });
        });
      }).catch(function () {
        if (run === current) status.textContent = "La recherche n'a pas pu se charger.";
      });
    }

    // The order of the first results: a page whose title is the query (a neighbourhood's name) leads; then
    // the territories whose name is one letter away from the query (« Pierre Rolin »); then the pages whose
    // title holds the query's words, a word found on fewer pages counting more (« décrochage » more than
    // « scolaire ») and the title of an item of the deepest level (`cited`) double: people cite those; then
    // Pagefind's order.
    function ranked(pf, query, results, filters, cited) {
      var head = results.slice(0, HEAD);
      var wanted = fold(query);
      var terms = fold(words(query)).split(" ").filter(function (w) { return w.length > 2; });
      var frequency = Promise.all(terms.map(function (t) {
        return pf.search(t).then(function (a) { return Math.max(1, a.results.length); });
      }));
      return Promise.all([Promise.all(head.map(function (r) { return r.data(); })), frequency, near(pf, wanted, filters)])
        .then(function (answers) {
          var all = answers[0], counts = answers[1], close = answers[2];
          var scored = head.map(function (r, i) {
            var data = all[i], title = fold(data.meta.title || "");
            var exact = fold(title.replace(/\s+—.*$/, "")) === wanted || title === wanted;
            var titleWords = title.split(/[^a-z0-9]+/);
            var score = terms.reduce(function (sum, t, j) {
              var stem = t.length > 4 ? t.slice(0, Math.max(4, t.length - 3)) : t;
              var found = titleWords.some(function (w) { return t.length > 4 ? w.indexOf(stem) === 0 : w === t; });
              return sum + (found ? 1 / counts[j] : 0);
            }, 0);
            var deepest = cited && data.filters && data.filters.type && data.filters.type[0] === cited;
            return { r: r, i: i, rank: exact ? 0 : score > 0 ? 1 : 2, score: deepest ? 2 * score : score };
          });
          scored.sort(function (a, b) { return a.rank - b.rank || b.score - a.score || a.i - b.i; });
          var ordered = scored.filter(function (x) { return x.rank === 0; }).map(function (x) { return x.r; });
          ordered = ordered.concat(close, scored.filter(function (x) { return x.rank > 0; }).map(function (x) { return x.r; }));
          var out = [], ids = {};
          ordered.concat(results.slice(HEAD)).forEach(function (r) {
            if (!ids[r.id]) { ids[r.id] = true; out.push(r); }
          });
          return out;
        });
    }

    // The territories whose name, or one of its spellings (« nom » filters), is at most one letter away from
    // the query: added, replaced or changed.
    function near(pf, wanted, filters) {
      if (wanted.length < 4) return Promise.resolve([]);
      return pf.filters().then(function (all) {
        var names = Object.keys((all && all.nom) || {}).filter(function (name) { return oneEdit(fold(name), wanted); });
        return Promise.all(names.map(function (name) {
          return pf.search(null, { filters: Object.assign({ nom: name }, filters) }).then(function (a) { return a.results; });
        })).then(function (lists) { return [].concat.apply([], lists); });
      });
    }

    function oneEdit(a, b) {
      if (Math.abs(a.length - b.length) > 1) return false;
      var i = 0, j = 0, edits = 0;
      while (i < a.length && j < b.length) {
        if (a[i] === b[j]) { i++; j++; continue; }
        if (++edits > 1) return false;
        if (a.length >= b.length) i++;
        if (b.length >= a.length) j++;
      }
      return edits + (a.length - i) + (b.length - j) <= 1;
    }

    // Keyboard: ↓ from the box to the results, ↑/↓ between them, Échap closes and returns to the box.
    function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
    form.addEventListener("keydown", function (ev) {
      var items = links(), at = items.indexOf(document.activeElement);
      if (ev.key === "Escape") {
        if (!inline && !panel.hidden) { close(); input.focus(); ev.preventDefault(); }
      } else if (ev.key === "ArrowDown" && (document.activeElement === input || at >= 0) && items.length) {
        items[Math.min(at + 1, items.length - 1)].focus();
        ev.preventDefault();
      } else if (ev.key === "ArrowUp" && at >= 0) {
        (at === 0 ? input : items[at - 1]).focus();
        ev.preventDefault();
      }
    });
    input.addEventListener("input", run);
    input.addEventListener("focus", function () { if (input.value.trim() && list.children.length) open(); });
    kinds.addEventListener("change", function () { run(); input.focus(); });
    form.addEventListener("focusout", function (ev) {
      if (!inline && ev.relatedTarget && !form.contains(ev.relatedTarget)) close();
    });
    document.addEventListener("click", function (ev) { if (!form.contains(ev.target)) close(); });
    if (inline) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var params = new URLSearchParams({ q: input.value });
        if (kind()) params.set("type", kind());
        history.replaceState(null, "", "?" + params.toString());
        run();
      });
      var params = new URLSearchParams(location.search);
      if (params.get("q")) input.value = params.get("q");
      ready.then(function () {
        var type = kinds.querySelector('input[value="' + (params.get("type") || "").replace(/[^a-z0-9-]/g, "") + '"]');
        if (type) type.checked = true;
        if (params.get("q")) run();
      });
    } else {
      // Enter on a number (« 3.3.2 ») in the header box opens that page; any other query, the results page.
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        var query = input.value;
        ready.then(function (said) {
          var n = number(query, said);
          if (n) location.href = new URL(n[0].url, root).href;
          else form.submit();
        }, function () { form.submit(); });
      });
    }
    return input;
  }

  var boxes = Array.prototype.map.call(document.querySelectorAll("form[data-cv-search]"), attach);
  // « / » anywhere but in a field: to the search box (the page's own box on the « Rechercher » page).
  document.addEventListener("keydown", function (ev) {
    var target = ev.target, tag = target && target.tagName;
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey || !boxes.length) return;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    ev.preventDefault();
    var box = boxes[boxes.length - 1];
    box.focus();
    box.select();
  });
})();
