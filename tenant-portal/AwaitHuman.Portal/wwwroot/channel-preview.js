// The channels page's live preview: the real widget, loaded from this server, opened with a preview session token.
let loading;

function load() {
  if (window.AwaitHumanChat) return Promise.resolve();
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/connectors/webchat/widget.js";
    script.onload = resolve;
    script.onerror = () => { loading = undefined; reject(new Error("The widget script did not load.")); };
    document.head.appendChild(script);
  });
  return loading;
}

export async function open(connection, token, title) {
  await load();
  window.AwaitHumanChat.close();
  window.AwaitHumanChat.open({ connection, token, title, expanded: true });
}

export function close() {
  window.AwaitHumanChat?.close();
}
