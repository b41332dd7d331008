// TalkAdmin's small behaviours on top of htmx: toasts, error messages, focus after swaps.
(function () {
  "use strict";

  function toastArea() {
    return document.getElementById("toasts");
  }

  function showToast(text, level) {
    var area = toastArea();
    if (!area) return;
    var toast = document.createElement("div");
    toast.className = "toast toast-" + (level || "info");
    if (level === "error") toast.setAttribute("role", "alert");
    var paragraph = document.createElement("p");
    paragraph.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close";
    close.setAttribute("data-dismiss-toast", "");
    close.setAttribute("aria-label", "Dismiss this message");
    close.textContent = "×";
    toast.append(paragraph, close);
    area.append(toast);
    scheduleDismiss(toast);
  }

  // Success and info messages fade after a while; warnings and errors stay until dismissed.
  function scheduleDismiss(toast) {
    if (toast.classList.contains("toast-success") || toast.classList.contains("toast-info")) {
      window.setTimeout(function () { toast.remove(); }, 8000);
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss-toast]");
    if (button) button.closest(".toast").remove();
  });

  // A failed htmx request keeps the page as it was and says what happened, in plain words.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var message = "";
    try {
      var doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
      var marked = doc.querySelector("[data-toast-message]");
      if (marked) message = marked.textContent.trim();
    } catch (error) {
      message = "";
    }
    if (!message) {
      message = "That did not work (error " + xhr.status + "). Nothing on this page was lost; please try again.";
    }
    showToast(message, "error");
  });

  document.addEventListener("htmx:sendError", function () {
    showToast("TalkAdmin could not be reached. Check your connection and try again; nothing on this page was lost.", "error");
  });

  document.addEventListener("htmx:timeout", function () {
    showToast("TalkAdmin took too long to answer. Please try again.", "error");
  });

  // After a swap, move focus to the element the server marked, so keyboard users keep their place.
  // The event fires on each settled element: after an outerHTML swap that is the new element,
  // while event.detail.target is the old one, already out of the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target && event.target.isConnected ? event.target : (event.detail.target || document);
    // An outerHTML swap replaces the target: look in the page for what took its place.
    if (target !== document && !target.isConnected) target = document;
    // Bring what the server marked into view (e.g. where a simulated call has got to). Focus
    // moves afterwards, so the control in use scrolls back into sight if it had to leave it.
    if (target.querySelectorAll) {
      target.querySelectorAll("[data-scroll-after-swap]").forEach(function (element) {
        element.scrollIntoView({ block: "nearest" });
      });
      scrollToEnd(target);
    }
    var focus = target.querySelector ? target.querySelector("[data-focus-after-swap]") : null;
    if (!focus && target.matches && target.matches("[data-focus-after-swap]")) focus = target;
    if (focus) {
      if (!focus.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(focus.tagName)) {
        focus.setAttribute("tabindex", "-1");
      }
      focus.focus();
    }
    document.querySelectorAll("#toasts .toast").forEach(function (toast) {
      if (!toast.dataset.scheduled) {
        toast.dataset.scheduled = "1";
        scheduleDismiss(toast);
      }
    });
  });

  // A log that grows at its end (e.g. a call's transcript) shows its latest lines.
  function scrollToEnd(root) {
    root.querySelectorAll("[data-keep-scrolled-to-end]").forEach(function (element) {
      element.scrollTop = element.scrollHeight;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scrollToEnd(document);
    document.querySelectorAll("#toasts .toast").forEach(function (toast) {
      toast.dataset.scheduled = "1";
      scheduleDismiss(toast);
    });
  });

  // Remember which control opened a form in place, to return the focus to it.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("a[hx-target$='-editor']");
    if (!opener || !opener.id) return;
    var slot = document.querySelector(opener.getAttribute("hx-target"));
    if (slot) slot.dataset.opener = opener.id;
  });
  // "Cancel" on a form opened in place closes it and gives the focus back to the control that
  // opened it; without JavaScript the same link goes back to the IVR page.
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-close-editor]");
    if (!cancel) return;
    var slot = cancel.closest(".editor-slot");
    if (!slot) return;
    event.preventDefault();
    var opener = document.getElementById(slot.dataset.opener || "");
    slot.innerHTML = "";
    if (opener) opener.focus();
  });
  window.TalkAdmin = { showToast: showToast };
})();
