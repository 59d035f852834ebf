// Progressive enhancement for the pupil overview; everything works without it.
// - double click on a row opens its Oki-doc (R-LL-2)
// - the header checkbox selects every pupil on the page
(function () {
  "use strict";
  document.addEventListener("dblclick", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || target.closest("a, button, input, select, summary, label")) {
      return;
    }
    var row = target.closest("tr[data-href]");
    if (row) {
      window.location.assign(row.getAttribute("data-href"));
    }
  });
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-select-all")) {
      return;
    }
    var form = box.form;
    if (!form) { return; }
    form.querySelectorAll('input[name="pupil_ids"]').forEach(function (item) {
      item.checked = box.checked;
    });
  });
})();
