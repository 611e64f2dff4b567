// The operator console's few browser-side pieces: inbox keys, notifications with a short sound.
window.awaitHumanConsole = (() => {
  let keys = null;
  const typing = (target) => target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

  function listenForKeys(dotnet) {
    stopListeningForKeys();
    keys = (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (!["j", "k", "r", "e", "Enter"].includes(event.key)) return;
      // Enter on a link or button keeps its own meaning.
      if (event.key === "Enter" && event.target && ["A", "BUTTON"].includes(event.target.tagName)) return;
      event.preventDefault();
      dotnet.invokeMethodAsync("OnKeyAsync", event.key);
    };
    document.addEventListener("keydown", keys);
  }

  function stopListeningForKeys() {
    if (keys) document.removeEventListener("keydown", keys);
    keys = null;
  }

  // Whether browser notifications will show; the in-page toast and the tone work either way.
  async function askToNotify() {
    if (!("Notification" in window)) return false;
    if (Notification.permission === "default") await Notification.requestPermission();
    return Notification.permission === "granted";
  }

  function beep() {
    try {
      const audio = new (window.AudioContext || window.webkitAudioContext)();
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      tone.frequency.value = 880;
      volume.gain.value = 0.08;
      tone.connect(volume).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.15);
    } catch { /* no audio on this device */ }
  }

  function notify(title, body, url) {
    beep();
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const notification = new Notification(title, { body, tag: url });
    notification.onclick = () => { window.focus(); window.location.assign(url); };
  }

  function focus(id) {
    const element = document.getElementById(id);
    if (element) element.focus();
  }

  // The availability this tab chose, kept across reloads (a reload closes one circuit and opens
  // another) and forgotten at sign-out, so the next sign-in starts online.
  const availabilityKey = "awaithuman.availability";
  const rememberedAvailability = () => sessionStorage.getItem(availabilityKey);
  const rememberAvailability = (status) => sessionStorage.setItem(availabilityKey, status);
  const forgetAvailability = () => sessionStorage.removeItem(availabilityKey);

  let idleWatch = null;

  // Tells the console when the person has done nothing here for idleMs, and when they are back.
  function watchIdle(dotnet, idleMs) {
    stopWatchingIdle();
    let idle = false;
    let timer = 0;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => { idle = true; dotnet.invokeMethodAsync("OnIdleAsync"); }, idleMs);
    };
    const active = () => {
      if (idle) { idle = false; dotnet.invokeMethodAsync("OnActiveAsync"); }
      arm();
    };
    const events = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart", "focus"];
    for (const name of events) window.addEventListener(name, active, { passive: true, capture: true });
    idleWatch = () => { clearTimeout(timer); for (const name of events) window.removeEventListener(name, active, { capture: true }); };
    arm();
  }

  function stopWatchingIdle() {
    if (idleWatch) idleWatch();
    idleWatch = null;
  }

  document.addEventListener("submit", (event) => {
    if (event.target instanceof HTMLFormElement && event.target.matches("form.sign-out-form")) forgetAvailability();
  }, true);

  // Keeps the transcript at its newest message while the person is there; when they read further up,
  // new messages show a marker instead of pulling the text away from under them.
  function followTranscript(list) {
    if (!list) return;
    const marker = document.getElementById("transcript-new");
    const nearBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 48;
    const toBottom = () => { list.scrollTop = list.scrollHeight; if (marker) marker.hidden = true; };
    let following = true;
    list.addEventListener("scroll", () => { following = nearBottom(); if (following && marker) marker.hidden = true; }, { passive: true });
    if (marker) marker.addEventListener("click", () => { toBottom(); list.focus({ preventScroll: true }); });
    new MutationObserver(() => {
      if (following) toBottom();
      else if (marker) marker.hidden = false;
    }).observe(list, { childList: true, subtree: true, characterData: true });
    toBottom();
  }

  return {
    followTranscript,
    listenForKeys, stopListeningForKeys, askToNotify, notify, focus,
    rememberedAvailability, rememberAvailability, watchIdle, stopWatchingIdle,
  };
})();

// The browser's IANA time zone, for a person who has not chosen one yet.
window.awaitHumanBrowserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || null;
