// Shows how strong a new password is while it is typed (the parents' set-password page).
// A rough guide only: the server checks the rules. Length counts most; a mix of kinds helps.
(function () {
  "use strict";
  function verdict(password, minimum) {
    if (!password) { return ""; }
    if (password.length < minimum) {
      return "Te kort: nog " + (minimum - password.length) + " teken(s).";
    }
    var kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(function (re) {
      return re.test(password);
    }).length;
    var score = password.length + 3 * kinds;
    if (score >= 24) { return "Sterkte: sterk."; }
    if (score >= 18) { return "Sterkte: redelijk. Langer is sterker."; }
    return "Sterkte: zwak. Maak het langer, bijvoorbeeld met een paar woorden.";
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-strength]").forEach(function (input) {
      var output = document.getElementById(input.getAttribute("data-strength"));
      var minimum = parseInt(input.getAttribute("minlength") || "10", 10);
      var show = function () {
        output.textContent = verdict(input.value, minimum);
        output.className = "strength strength--" + (
          output.textContent.indexOf("sterk.") > -1 ? "good" : "weak");
      };
      input.addEventListener("input", show);
      show();
    });
  });
})();
