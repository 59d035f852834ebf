// Invoeren doorstroomtoets (R-DT-3): enter a column at a time. With "per kolom" checked, Tab
// and Enter go to the same field of the next pupil (Shift: the previous one); after the last
// pupil, to the top of the next column. Without JavaScript the form works row by row.
(function () {
  "use strict";
  function fields(table, column) {
    return Array.prototype.slice.call(table.querySelectorAll('[data-kolom="' + column + '"]'));
  }
  function target(table, field, back) {
    var column = Number(field.getAttribute("data-kolom"));
    var list = fields(table, column);
    var at = list.indexOf(field) + (back ? -1 : 1);
    if (at >= 0 && at < list.length) return list[at];
    var next = fields(table, column + (back ? -1 : 1));
    if (!next.length) return null; // leave the table the usual way
    return back ? next[next.length - 1] : next[0];
  }
  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("dt-tabel");
    var toggle = document.getElementById("per-kolom");
    if (!table || !toggle) return;
    table.addEventListener("keydown", function (event) {
      var field = event.target;
      if (!toggle.checked || !field.hasAttribute || !field.hasAttribute("data-kolom")) return;
      if (event.key !== "Tab" && event.key !== "Enter") return;
      var next = target(table, field, event.shiftKey);
      if (!next) return;
      event.preventDefault();
      next.focus();
      if (next.select && next.type !== "date") next.select();
    });
  });
})();
