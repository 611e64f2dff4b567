using System.Net;

namespace AwaitHuman.Core.Channels.Sandbox;

/// <summary>The device page: plain HTML and a few lines of script, no framework, so it loads anywhere.</summary>
public static class SandboxDevicePage
{
    public static string Html(SandboxAddress address, string token)
    {
        var title = WebUtility.HtmlEncode($"{address.Address} on {address.Channel} (sandbox)");
        var tokenJson = System.Text.Json.JsonSerializer.Serialize(token);
        return $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>
          body { font: 16px system-ui, sans-serif; margin: 0; background: #f3f4f6; color: #111827; }
          header { background: #1f2937; color: #fff; padding: .75rem 1rem; }
          header p { margin: .25rem 0 0; font-size: .85rem; color: #d1d5db; }
          main { max-width: 40rem; margin: 0 auto; padding: 1rem; }
          ol { list-style: none; padding: 0; margin: 0 0 1rem; }
          li { margin: .5rem 0; padding: .5rem .75rem; border-radius: .75rem; max-width: 80%; background: #fff; }
          li.customer { margin-left: auto; background: #dcfce7; }
          li small { display: block; color: #4b5563; font-size: .75rem; }
          form { display: flex; gap: .5rem; }
          label { position: absolute; left: -9999px; }
          textarea { flex: 1; font: inherit; padding: .5rem; border: 1px solid #6b7280; border-radius: .5rem; }
          button { font: inherit; padding: .5rem 1rem; border: 0; border-radius: .5rem; background: #1d4ed8; color: #fff; }
          #typing { min-height: 1.25rem; color: #374151; font-size: .85rem; }
        </style>
        </head>
        <body>
        <header><h1 style="margin:0;font-size:1.1rem">Simulated customer device</h1><p>{{title}}: what the customer receives, and where you answer as them.</p></header>
        <main>
          <ol id="messages" aria-live="polite" aria-label="Conversation"></ol>
          <div id="typing" aria-live="polite"></div>
          <form id="compose">
            <label for="text">Message as the customer</label>
            <textarea id="text" name="text" rows="2" required maxlength="4096"></textarea>
            <button type="submit">Send</button>
          </form>
        </main>
        <script>
        const token = {{tokenJson}};
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
        </script>
        </body>
        </html>
        """;
    }
}
