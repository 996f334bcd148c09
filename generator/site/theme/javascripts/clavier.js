// The menu (☰) with the keyboard. The theme's menu button is a <label> for a hidden checkbox: it works
// with a mouse and without JavaScript, but Tab never reaches it. It becomes a real button, which says
// whether the menu is open; the open menu takes the focus, Échap closes it and gives the focus back, and
// leaving it with Tab closes it (nothing stays focusable behind it).
(function () {
  "use strict";
  var toggle = document.getElementById("__drawer");
  var label = document.querySelector('.md-header label[for="__drawer"]');
  var drawer = document.querySelector(".md-sidebar--primary");
  if (!toggle || !label || !drawer) return;

  var button = document.createElement("button");
  button.type = "button";
  button.className = label.className + " cv-menu";
  button.setAttribute("aria-label", "Menu du site");
  button.setAttribute("aria-expanded", "false");
  Array.prototype.forEach.call(label.childNodes, function (node) { button.appendChild(node.cloneNode(true)); });
  label.hidden = true;
  label.parentNode.insertBefore(button, label);

  function set(open) {
    toggle.checked = open;
    button.setAttribute("aria-expanded", String(open));
  }
  button.addEventListener("click", function () {
    set(!toggle.checked);
    if (!toggle.checked) return;
    var first = drawer.querySelector(".md-nav__list a[href]");
    if (first) first.focus();
  });
  toggle.addEventListener("change", function () { set(toggle.checked); });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && toggle.checked) {
      set(false);
      button.focus();
    }
  });
  document.addEventListener("focusin", function (ev) {
    if (toggle.checked && !drawer.contains(ev.target)) set(false);
    else button.setAttribute("aria-expanded", String(toggle.checked));  // the theme also closes it
  });
})();
