// A form sent back with a problem. Where the problem is about one field, the cursor goes to that field, whose
// message beside it a screen reader reads with it (aria-describedby); otherwise focus moves to the message that
// says what is wrong, so a keyboard user starts from it rather than from the top of the page. A page that puts
// the focus where the person types next (the password, after a wrong one) keeps it there.
document.addEventListener("DOMContentLoaded", () => {
  if (document.querySelector("[autofocus]")) {
    return;
  }
  const field = document.querySelector('main [aria-invalid="true"]');
  if (field) {
    field.focus();
    return;
  }
  const problem = document.querySelector('main .problem[role="alert"]');
  if (problem) {
    problem.setAttribute("tabindex", "-1");
    problem.focus();
  }
});
