// erbij: small progressive enhancements only; every form works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Move keyboard focus to the first problem so screen readers announce it.
  var problem = document.querySelector(".problem");
  if (problem) {
    problem.setAttribute("tabindex", "-1");
    problem.focus();
  }
});
