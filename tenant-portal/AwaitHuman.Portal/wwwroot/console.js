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

  return { listenForKeys, stopListeningForKeys, askToNotify, notify, focus };
})();
