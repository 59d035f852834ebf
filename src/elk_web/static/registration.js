// Dragging a school to another place on the parents' preference list (an extra: the arrow
// buttons do the same without JavaScript). On drop the new order is posted as "volgorde".
(function () {
  "use strict";
  var list = document.querySelector("[data-sortable]");
  if (!list) { return; }
  var form = list.closest("form");
  var dragged = null;
  list.addEventListener("dragstart", function (event) {
    dragged = event.target.closest("li");
    if (dragged) { dragged.classList.add("choice--dragging"); }
  });
  list.addEventListener("dragover", function (event) {
    var over = event.target.closest("li");
    if (!dragged || !over || over === dragged) { return; }
    event.preventDefault();
    var after = event.clientY > over.getBoundingClientRect().top + over.offsetHeight / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("drop", function (event) { event.preventDefault(); });
  list.addEventListener("dragend", function () {
    if (!dragged) { return; }
    dragged.classList.remove("choice--dragging");
    dragged = null;
    var ids = Array.prototype.map.call(list.querySelectorAll("li[data-id]"), function (item) {
      return item.getAttribute("data-id");
    });
    form.querySelector("[data-order]").value = ids.join(",");
    var action = document.createElement("input");
    action.type = "hidden";
    action.name = "actie";
    action.value = "volgorde";
    form.appendChild(action);
    form.submit();
  });
}());
