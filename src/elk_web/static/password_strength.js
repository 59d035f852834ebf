// Shows how strong a new password is while it is typed (the parents' set-password page).
// A rough guide only: the server checks the rules. Length counts most; a mix of kinds helps.
// The texts come from the output's data attributes (the page's language); Dutch by default.
(function () {
  "use strict";
  var DUTCH = {
    tooShort: "Te kort: nog {n} teken(s).",
    strong: "Sterkte: sterk.",
    fair: "Sterkte: redelijk. Langer is sterker.",
    weak: "Sterkte: zwak. Maak het langer, bijvoorbeeld met een paar woorden."
  };
  function text(output, name) {
    return output.getAttribute("data-" + name.replace(/[A-Z]/g, function (c) {
      return "-" + c.toLowerCase();
    })) || DUTCH[name];
  }
  function verdict(password, minimum) {
    if (!password) { return null; }
    if (password.length < minimum) {
      return { name: "tooShort", n: minimum - password.length };
    }
    var kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(function (re) {
      return re.test(password);
    }).length;
    var score = password.length + 3 * kinds;
    if (score >= 24) { return { name: "strong" }; }
    if (score >= 18) { return { name: "fair" }; }
    return { name: "weak" };
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-strength]").forEach(function (input) {
      var output = document.getElementById(input.getAttribute("data-strength"));
      var minimum = parseInt(input.getAttribute("minlength") || "10", 10);
      var show = function () {
        var found = verdict(input.value, minimum);
        output.textContent = found ? text(output, found.name).replace("{n}", found.n) : "";
        output.className = "strength strength--" + (
          found && found.name === "strong" ? "good" : "weak");
      };
      input.addEventListener("input", show);
      show();
    });
  });
})();
