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

  // A search box that narrows a list in place (e.g. the phone numbers to tick on an IVR's
  // "Phone numbers" page): items whose data-filter-text lacks the words typed are hidden, and
  // nothing else changes, so hidden checkboxes keep their state and are still submitted. The
  // box is hidden in the HTML and shown here, so without script the whole list just shows.
  function filterList(input) {
    var list = document.getElementById(input.dataset.filterList);
    if (!list) return;
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var items = list.querySelectorAll("[data-filter-text]");
    var shown = 0;
    items.forEach(function (item) {
      var text = item.dataset.filterText;
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      item.hidden = !match;
      if (match) shown += 1;
    });
    var status = document.getElementById(input.dataset.filterStatus);
    if (status) {
      status.textContent = words.length ? "Showing " + shown + " of " + items.length + "." : "";
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-filter-list]")) filterList(event.target);
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-filter-box]").forEach(function (box) {
      box.hidden = false;
    });
    document.querySelectorAll("[data-filter-list]").forEach(function (input) {
      if (input.value) filterList(input);
    });
  });

  // Escape closes a form opened in place, as its "Cancel" does.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var slot = event.target.closest && event.target.closest(".editor-slot");
    var cancel = slot ? slot.querySelector("[data-close-editor]") : null;
    if (cancel) cancel.click();
  });
  // Remember which control opened a form in place, to return the focus to it.
  document.addEventListener("click", function (event) {
    var opener = event.target.closest("a[hx-target$='-editor']");
    if (!opener || !opener.id) return;
    var slot = document.querySelector(opener.getAttribute("hx-target"));
    if (!slot) return;
    slot.dataset.opener = opener.id;
    // One form in place at a time: its fields' ids and messages must be the only ones.
    document.querySelectorAll(".editor-slot").forEach(function (other) {
      if (other !== slot) other.innerHTML = "";
    });
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
  // --- Greetings --------------------------------------------------------------------------
  // A greeting's player that cannot play (Zendesk no longer has the recording, or it is
  // unreachable) says so in words instead of showing a broken player.
  document.addEventListener("error", function (event) {
    var audio = event.target;
    if (!audio.matches || !audio.matches("audio[data-greeting-audio]")) return;
    if (!audio.getAttribute("src")) return;
    var note = audio.parentElement.querySelector(".player-note");
    if (!note) return;
    note.textContent = audio.dataset.failureMessage;
    note.hidden = false;
    audio.hidden = true;
  }, true);

  // An upload shows how far it has got (htmx's progress event for its XMLHttpRequest).
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("[data-upload-progress]");
    if (!form || !event.detail.lengthComputable) return;
    var bar = document.getElementById(form.dataset.uploadProgress);
    if (bar) bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });

  // A greeting picker (a select with data-greeting-picker) plays the greeting chosen in it.
  function showChosenGreeting(select) {
    var player = document.querySelector("[data-greeting-player-for='" + select.id + "']");
    if (!player) return;
    var audio = player.querySelector("audio");
    var note = player.querySelector("[data-player-note]");
    var option = select.options[select.selectedIndex];
    var url = option ? option.dataset.audioUrl || "" : "";
    player.querySelectorAll(".player-note").forEach(function (failed) { failed.hidden = true; });
    if (url) {
      if (audio.getAttribute("src") !== url) audio.setAttribute("src", url);
      audio.hidden = false;
      note.hidden = true;
    } else {
      audio.pause();
      audio.removeAttribute("src");
      audio.hidden = true;
      note.textContent = option && option.value ? "This greeting has no recording to play yet." : "No greeting chosen: nothing to play.";
      note.hidden = false;
    }
  }

  function setUpPickers(root) {
    root.querySelectorAll("select[data-greeting-picker]").forEach(showChosenGreeting);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-greeting-picker]")) showChosenGreeting(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () { setUpPickers(document); });
  document.addEventListener("htmx:load", function (event) { setUpPickers(event.detail.elt.parentElement || document); });

  // A greeting uploaded from a menu form becomes a choice of that form's picker, chosen; what
  // was typed in the form stays as it is.
  document.addEventListener("greetingUploaded", function (event) {
    var greeting = event.detail;
    document.querySelectorAll("select[data-greeting-picker][data-greeting-category='" + greeting.category + "']").forEach(function (select) {
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === greeting.id; });
      if (!option) {
        option = document.createElement("option");
        option.value = greeting.id;
        option.textContent = greeting.name;
        select.append(option);
      }
      option.dataset.audioUrl = greeting.audioUrl;
      select.value = greeting.id;
      showChosenGreeting(select);
    });
  });

  // "Cancel" on an upload opened in place under a form closes it.
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-close-upload]");
    if (!cancel) return;
    var slot = cancel.closest("[data-upload-slot]");
    if (slot) slot.innerHTML = "";
    var opener = document.querySelector("[data-opens-upload]");
    if (opener) opener.focus();
  });

  // A field with a limit (data-max-chars, core.forms.counted) counts its characters instead of
  // cutting what is typed or pasted at the limit: it says how many are left, and says so (to
  // screen readers too) when the text reaches or passes the limit; the form refuses a text that
  // is over, next to the field, and keeps it for the admin to shorten.
  function characters(text) {
    return Array.from(text).length;  // code points, as the server counts them
  }

  function updateCounter(input) {
    var limit = parseInt(input.dataset.maxChars, 10);
    var count = characters(input.value);
    var counter = document.getElementById(input.id + "_count");
    var alert = document.getElementById(input.id + "_limit");
    if (!counter || !alert) return;
    var over = count > limit;
    counter.textContent = over
      ? count + " characters: " + (count - limit) + " over the limit of " + limit
      : count + " of " + limit + " characters";
    counter.classList.toggle("char-count-over", over);
    var message = "";
    if (over) message = "This is " + (count - limit) + " characters too long: Zendesk takes at most " + limit + ". Shorten it to save.";
    else if (count === limit) message = "You have reached the limit of " + limit + " characters.";
    if (alert.textContent !== message) alert.textContent = message;
  }

  function setUpCounters(root) {
    root.querySelectorAll("input[data-max-chars], textarea[data-max-chars]").forEach(function (input) {
      if (!input.id || document.getElementById(input.id + "_count")) return;
      var counter = document.createElement("span");
      counter.className = "char-count";
      counter.id = input.id + "_count";
      var alert = document.createElement("span");
      alert.className = "char-limit";
      alert.id = input.id + "_limit";
      alert.setAttribute("role", "status");
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      input.setAttribute("aria-describedby", described.concat([counter.id, alert.id]).join(" "));
      input.after(counter, alert);
      updateCounter(input);
    });
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-max-chars]")) updateCounter(event.target);
  });
  document.addEventListener("DOMContentLoaded", function () { setUpCounters(document); });
  document.addEventListener("htmx:load", function (event) { setUpCounters(event.detail.elt.parentElement || document); });

  window.TalkAdmin = { showToast: showToast };
})();
