// Rapport web app behaviour that HTML and htmx alone don't give: lookup
// type-aheads, menus that close, and drag and drop on boards. Everything
// here is progressive: pages work, more slowly, without it.
(function () {
  "use strict";

  // Menus (<details>) close on a click elsewhere and on Escape.
  document.addEventListener("click", function (e) {
    document.querySelectorAll("details[open].switcher, details[open].user-menu, details[open].menu-details").forEach(function (d) {
      if (!d.contains(e.target)) d.removeAttribute("open");
    });
  });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    document.querySelectorAll("details[open]").forEach(function (d) { d.removeAttribute("open"); });
    document.querySelectorAll(".lookup-options").forEach(function (ul) { ul.innerHTML = ""; });
  });

  // Lookups: a text box that searches (htmx fills its listbox) and a hidden
  // input that keeps the chosen record's ID.
  function pick(li) {
    var box = li.closest(".lookup");
    if (!box || !li.dataset.id) return;
    box.querySelector(".lookup-id").value = li.dataset.id;
    var input = box.querySelector(".lookup-box");
    input.value = li.dataset.name;
    input.setAttribute("aria-expanded", "false");
    input.dispatchEvent(new Event("change", { bubbles: true }));
    box.querySelector(".lookup-options").innerHTML = "";
  }
  document.addEventListener("mousedown", function (e) {
    var li = e.target.closest(".lookup-options li");
    if (li) { e.preventDefault(); pick(li); }
  });
  document.addEventListener("input", function (e) {
    if (!e.target.classList.contains("lookup-box")) return;
    var box = e.target.closest(".lookup");
    if (e.target.value.trim() === "") box.querySelector(".lookup-id").value = "";
  });
  document.addEventListener("keydown", function (e) {
    if (!e.target.classList || !e.target.classList.contains("lookup-box")) return;
    var ul = e.target.closest(".lookup").querySelector(".lookup-options");
    var items = Array.prototype.slice.call(ul.querySelectorAll("li[data-id]"));
    if (!items.length) return;
    var cur = items.findIndex(function (li) { return li.getAttribute("aria-selected") === "true"; });
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      var next = e.key === "ArrowDown" ? Math.min(cur + 1, items.length - 1) : Math.max(cur - 1, 0);
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === next ? "true" : "false"); });
      e.target.setAttribute("aria-activedescendant", "");
    } else if (e.key === "Enter" && cur >= 0) {
      e.preventDefault();
      pick(items[cur]);
    }
  });
  document.addEventListener("focusout", function (e) {
    if (!e.target.classList || !e.target.classList.contains("lookup-box")) return;
    var box = e.target.closest(".lookup");
    setTimeout(function () { if (!box.contains(document.activeElement)) box.querySelector(".lookup-options").innerHTML = ""; }, 150);
  });
  document.addEventListener("htmx:afterSwap", function (e) {
    var ul = e.detail.target;
    if (ul.classList && ul.classList.contains("lookup-options")) {
      var input = ul.closest(".lookup").querySelector(".lookup-box");
      input.setAttribute("aria-expanded", ul.children.length ? "true" : "false");
    }
  });

  // Boards: lists marked data-board are sortable across columns. Dropping a
  // card posts the column's value to the card's data-move URL; on failure
  // the card goes back where it was. A select in each card does the same
  // without a mouse.
  function initBoards(root) {
    if (typeof Sortable === "undefined") return;
    root.querySelectorAll("[data-board]").forEach(function (list) {
      if (list._sortable) return;
      list._sortable = Sortable.create(list, {
        group: list.dataset.board,
        animation: 120,
        forceFallback: true,
        fallbackTolerance: 3,
        onEnd: function (evt) {
          if (evt.from === evt.to) return;
          var card = evt.item;
          move(card, evt.to.dataset.value, function () {
            evt.from.insertBefore(card, evt.from.children[evt.oldIndex] || null);
          });
        }
      });
    });
  }
  function csrf() {
    var h = document.body.getAttribute("hx-headers");
    try { return JSON.parse(h)["X-CSRF-Token"]; } catch (e) { return ""; }
  }
  function move(card, value, undo) {
    var body = new URLSearchParams();
    body.set("value", value);
    card.classList.add("saving");
    fetch(card.dataset.move, {
      method: "POST",
      headers: { "X-CSRF-Token": csrf(), "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded" },
      body: body
    }).then(function (res) {
      return res.text().then(function (text) {
        card.classList.remove("saving");
        if (!res.ok) {
          undo();
          toast(text.replace(/<[^>]*>/g, "") || "Could not save the move.", true);
          return;
        }
        card.dataset.value = value;
        var sel = card.querySelector("select[data-move-select]");
        if (sel) sel.value = value;
        document.dispatchEvent(new CustomEvent("board:moved", { detail: { card: card, value: value } }));
      });
    }, function () { card.classList.remove("saving"); undo(); toast("Could not reach the server.", true); });
  }
  document.addEventListener("change", function (e) {
    var sel = e.target;
    if (!sel.matches || !sel.matches("select[data-move-select]")) return;
    var card = sel.closest("[data-move]");
    var board = card.closest(".kanban");
    var from = card.parentElement;
    var to = board && board.querySelector('[data-board][data-value="' + CSS.escape(sel.value) + '"]');
    var next = card.nextElementSibling;
    if (to) to.prepend(card);
    move(card, sel.value, function () { from.insertBefore(card, next); sel.value = card.dataset.value || ""; });
  });
  function toast(msg, error) {
    var t = document.getElementById("toast");
    if (!t) return;
    var d = document.createElement("div");
    d.className = "toast" + (error ? " toast-error" : "");
    d.setAttribute("role", error ? "alert" : "status");
    d.textContent = msg;
    t.appendChild(d);
    setTimeout(function () { d.remove(); }, 6000);
  }
  document.addEventListener("htmx:load", function (e) { initBoards(e.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { initBoards(document); });

  // Toasts that the server swapped in fade out by themselves.
  document.addEventListener("htmx:afterSwap", function (e) {
    if (e.detail.target.id === "toast") setTimeout(function () { e.detail.target.innerHTML = ""; }, 6000);
  });
  // An htmx error response without a swap target still gets shown.
  document.addEventListener("htmx:responseError", function (e) {
    var xhr = e.detail.xhr;
    toast((xhr.responseText || "").replace(/<[^>]*>/g, "").trim().slice(0, 300) || "Something went wrong.", true);
  });
})();

// Lists: Escape cancels a cell's editor; a header checkbox selects every
// row of its form.
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !e.target.closest) return;
    var form = e.target.closest("form[data-cell-editor]");
    var cancel = form && form.querySelector("[data-cancel]");
    if (cancel) { e.preventDefault(); cancel.click(); }
  });
  document.addEventListener("change", function (e) {
    var all = e.target;
    if (!all.matches) return;
    if (all.matches("input[data-select-all]")) {
      document.querySelectorAll('input[type=checkbox][form="' + all.dataset.selectAll + '"]').forEach(function (c) { c.checked = all.checked; });
    }
    if (all.matches("input[data-select-all], input[type=checkbox][form]")) massState();
  });
  // The mass actions show once a row is selected; until then the bar says
  // how to use them. Without script they are always there.
  function massState() {
    document.querySelectorAll("form.mass-bar").forEach(function (bar) {
      var n = document.querySelectorAll('input[name=ids][form="' + bar.id + '"]:checked').length;
      bar.classList.toggle("is-empty", n === 0);
      var count = bar.querySelector(".mass-count");
      if (count) count.textContent = n === 0 ? "Select rows to change their owner or delete them" : n + " selected";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", massState);
  else massState();
  document.addEventListener("htmx:afterSettle", massState);
})();

// The API name a label suggests (Setup's object and field forms) fills the
// name's placeholder as the label is typed; it never replaces a name the
// person is typing or has typed, which would drop their keystrokes.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (e) {
    var t = e.detail.target;
    if (t && t.id === "f-name" && (t === document.activeElement || t.value !== "")) {
      e.detail.shouldSwap = false;
    }
  });
})();
