// The simulated customer device: reads the conversation after the last position it shows, sends the
// customer's answers, and reads again whenever the server's events say something changed.
const token = document.currentScript.dataset.token;
const q = "token=" + encodeURIComponent(token);
let last = 0;
const list = document.getElementById("messages");
async function refresh() {
  const response = await fetch("/sandbox/device/conversation?" + q + "&after=" + last);
  if (!response.ok) return;
  const conversation = await response.json();
  for (const m of conversation.messages) {
    // The send's own refresh and the "changed" event's can overlap and read the same messages.
    if (m.position <= last) continue;
    const item = document.createElement("li");
    item.className = m.from;
    item.dataset.position = m.position;
    const who = document.createElement("small");
    who.textContent = (m.from === "customer" ? "You" : (m.author_name || m.from)) + " · " + new Date(m.at).toLocaleTimeString();
    const text = document.createElement("div");
    text.textContent = m.text;
    item.append(who, text);
    list.append(item);
    last = Math.max(last, m.position);
  }
}
document.getElementById("compose").addEventListener("submit", async event => {
  event.preventDefault();
  const box = document.getElementById("text");
  const client_id = crypto.randomUUID();
  await fetch("/sandbox/device/messages?" + q, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: box.value, client_id }) });
  box.value = "";
  await refresh();
});
function listen() {
  const events = new EventSource("/sandbox/device/events?" + q);
  events.addEventListener("changed", () => { document.getElementById("typing").textContent = ""; refresh(); });
  events.addEventListener("typing", e => {
    const notice = JSON.parse(e.data);
    if (notice.party !== "customer") document.getElementById("typing").textContent = (notice.name || "The operator") + " is typing…";
  });
  events.onerror = () => { events.close(); setTimeout(() => { refresh(); listen(); }, 2000); };
}
refresh().then(listen);
