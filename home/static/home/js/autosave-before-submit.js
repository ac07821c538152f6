// The editor's own action (Save draft, Submit for review, Publish) never races Wagtail's
// autosave.
//
// Wagtail 8 saves the edit form in the background about a second after each change. On
// the create view the first such save creates the page, and only when its answer comes
// back does the form's action switch from the create URL to the new page's edit URL.
// The form's own submit waits for neither: a Submit pressed while an autosave is still
// waiting for its timer, or on its way to the server, POSTs to the create URL again, and
// whichever request comes second is refused with "The slug ... is already in use" (the
// other one has just created the page). So, on an explicit submit: no further autosave;
// one still waiting for its timer is dropped (the autosave controller skips a save whose
// "w-autosave:save" event has been cancelled); one already sent is waited for, and the
// form then goes to the URL that answer gave it.
(() => {
  const WAIT_AT_MOST_MS = 15000;
  const latestSave = new WeakMap();

  document.addEventListener(
    "w-autosave:save",
    (event) => latestSave.set(event.target, event),
    true,
  );

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-edit-form")) return;
      const autosave = window.wagtail?.app?.getControllerForElementAndIdentifier(
        form,
        "w-autosave",
      );
      if (!autosave) return;
      const submitter = event.submitter;
      if (submitter?.hasAttribute("formaction")) return;

      autosave.activeValue = false;
      latestSave.get(form)?.preventDefault();
      const pending = autosave.submitPromise;
      if (!pending) return;

      event.preventDefault();
      const timeout = new Promise((resolve) => setTimeout(resolve, WAIT_AT_MOST_MS));
      Promise.race([pending, timeout]).finally(() => {
        if (submitter?.name) {
          const input = document.createElement("input");
          input.type = "hidden";
          input.name = submitter.name;
          input.value = submitter.value;
          form.append(input);
        }
        form.submit();
      });
    },
    true,
  );
})();
