/* The « Citer … » box of an item's page: a copy button, and the page's full address where the site address is not
   configured (the citation and the printed header then carry the address the reader sees). */
(function () {
  function pageAddress() { return location.origin + location.pathname; }
  function enhance() {
    document.querySelectorAll(".cv-page-address--relative").forEach(function (el) {
      el.textContent = pageAddress();
    });
    document.querySelectorAll("a.cv-report[href^='mailto:']").forEach(function (a) {
      var body = "Page concernée : " + pageAddress() + "\n\nCe qui ne va pas :\n";
      a.href = a.href.replace(/([?&]body=)[^&]*/, "$1" + encodeURIComponent(body));
    });
    document.querySelectorAll(".cv-cite").forEach(function (box) {
      if (box.querySelector("button")) return;
      var text = box.querySelector(".cv-cite__text");
      var note = box.querySelector(".cv-cite__note");
      if (note) { text.textContent = text.textContent + " " + pageAddress(); note.remove(); }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "md-button cv-cite__copy";
      button.textContent = "Copier la citation";
      var status = document.createElement("p");
      status.className = "cv-cite__status";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        var done = function () { status.textContent = "Citation copiée."; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text.textContent).then(done, function () { status.textContent = "Copie impossible : sélectionnez le texte."; });
        } else {
          var range = document.createRange();
          range.selectNodeContents(text);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          status.textContent = document.execCommand("copy") ? "Citation copiée." : "Copie impossible : le texte est sélectionné, copiez-le.";
        }
      });
      box.appendChild(button);
      box.appendChild(status);
    });
  }
  if (window.document$) { window.document$.subscribe(enhance); } else { document.addEventListener("DOMContentLoaded", enhance); }
})();
