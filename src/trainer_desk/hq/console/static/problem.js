// A form sent back with a problem: focus moves to the message that says what is wrong, so a screen reader
// reads it out and a keyboard user starts from it, rather than from the top of the page. A page that puts the
// focus where the person types next (the password, after a wrong one) keeps it there.
document.addEventListener("DOMContentLoaded", () => {
  const problem = document.querySelector('main .problem[role="alert"]');
  if (problem && !document.querySelector("[autofocus]")) {
    problem.setAttribute("tabindex", "-1");
    problem.focus();
  }
});
