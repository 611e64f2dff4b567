/* AwaitHuman web chat widget. Embed with
 *   <script src="https://<host>/connectors/webchat/widget.js" data-connection="<id>" data-token="<session token>"></script>
 * or load it without data-token and call AwaitHumanChat.open({ connection, token }).
 * No framework; styles live in a Shadow DOM so the host page and the widget cannot restyle each other. */
(function () {
  "use strict";
  if (window.AwaitHumanChat) return;
  var script = document.currentScript;
  var base = new URL(script ? script.src : location.href).origin;
  var css =
    ":host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;font:14px/1.4 system-ui,sans-serif;color:#1b1b1f}" +
    "button{font:inherit;cursor:pointer;border:0;border-radius:6px;background:#2f55d4;color:#fff;padding:8px 12px}" +
    "button:focus-visible,textarea:focus-visible{outline:3px solid #f5a623;outline-offset:1px}" +
    ".panel{display:flex;flex-direction:column;width:320px;max-width:calc(100vw - 32px);height:440px;max-height:calc(100vh - 96px);background:#fff;border:1px solid #c9cbd3;border-radius:10px;box-shadow:0 6px 24px rgba(0,0,0,.18);margin-bottom:8px;overflow:hidden}" +
    ".panel[hidden]{display:none}" +
    "header{display:flex;justify-content:space-between;align-items:center;padding:8px 12px;background:#2f55d4;color:#fff}" +
    "h2{font-size:15px;margin:0}header button{background:transparent;padding:2px 8px}" +
    ".status{font-size:12px;padding:4px 12px;background:#eef1fb;color:#33384a}" +
    "ol{list-style:none;margin:0;padding:8px 12px;flex:1;overflow-y:auto}" +
    "li{margin:6px 0;max-width:85%;padding:6px 10px;border-radius:10px;background:#eef1fb;white-space:pre-wrap;word-wrap:break-word}" +
    "li.customer{margin-left:auto;background:#2f55d4;color:#fff}li.pending{opacity:.6}li.failed{background:#b3261e;color:#fff}" +
    "li small{display:block;font-size:11px;opacity:.75}" +
    ".typing{min-height:18px;font-size:12px;padding:0 12px;color:#555a6b}" +
    "form{display:flex;gap:6px;padding:8px;border-top:1px solid #e1e3ea}" +
    "textarea{flex:1;resize:none;font:inherit;padding:6px;border:1px solid #9aa0b1;border-radius:6px;min-height:36px}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}" +
    ".launcher{float:right;border-radius:20px;padding:10px 16px}";

  var state = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    if (text) node.textContent = text;
    return node;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  function api(path, options) {
    options = options || {};
    var headers = { Authorization: "Bearer " + state.token };
    if (options.body) headers["Content-Type"] = "application/json";
    for (var name in options.headers || {}) headers[name] = options.headers[name];
    return fetch(base + "/connectors/webchat/" + encodeURIComponent(state.connection) + path, {
      method: options.method || "GET",
      headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined,
      signal: options.signal,
      mode: "cors",
      credentials: "omit"
    });
  }

  function build(title) {
    var host = el("div", { "data-awaithuman-chat": "" });
    var root = host.attachShadow({ mode: "open" });
    root.appendChild(el("style", {}, css));
    var panel = el("section", { class: "panel", role: "dialog", "aria-label": title, hidden: "" });
    var header = el("header");
    header.appendChild(el("h2", {}, title));
    var close = el("button", { type: "button", "aria-label": "Close chat" }, "\u00d7");
    header.appendChild(close);
    var status = el("div", { class: "status", role: "status" }, "Connecting\u2026");
    var log = el("ol", { role: "log", "aria-live": "polite", "aria-label": "Messages", tabindex: "0" });
    var typing = el("div", { class: "typing", "aria-live": "polite" });
    var form = el("form");
    var label = el("label", { for: "awaithuman-text", class: "sr" }, "Your message");
    var input = el("textarea", { id: "awaithuman-text", rows: "1", maxlength: "4000", placeholder: "Type a message" });
    var send = el("button", { type: "submit" }, "Send");
    form.appendChild(label);
    form.appendChild(input);
    form.appendChild(send);
    panel.appendChild(header);
    panel.appendChild(status);
    panel.appendChild(log);
    panel.appendChild(typing);
    panel.appendChild(form);
    var launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false" }, "Chat with us");
    root.appendChild(panel);
    root.appendChild(launcher);
    document.body.appendChild(host);

    // Focus moves into the chat only when the customer opened it, never on page load.
    function show(open, focus) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      launcher.textContent = open ? "Hide chat" : "Chat with us";
      if (open) {
        if (focus) input.focus();
        receipt("read");
      }
    }
    launcher.addEventListener("click", function () { show(panel.hidden, true); });
    close.addEventListener("click", function () { show(false); launcher.focus(); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      post({ id: newId(), text: text });
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
      }
    });
    input.addEventListener("input", function () {
      var now = Date.now();
      if (now - state.typedAt < 3000) return;
      state.typedAt = now;
      api("/typing", { method: "POST" }).catch(function () {});
    });
    document.addEventListener("visibilitychange", function () { receipt("read"); });
    return { host: host, panel: panel, status: status, log: log, typing: typing, show: show };
  }

  function setStatus(text) { state.ui.status.textContent = text; }

  function describe(status, operator) {
    if (status === "resolved" || status === "cancelled" || status === "timed_out") return "This conversation has ended.";
    if (operator) return "You are chatting with " + operator + ".";
    return "Waiting for someone to join\u2026";
  }

  function render(message) {
    if (state.seen[message.position]) return;
    state.seen[message.position] = true;
    state.last = Math.max(state.last, message.position);
    if (message.from === "customer") {
      var pending = state.pending[message.text];
      if (pending && pending.length) pending.shift().remove();
    }
    var item = el("li", { class: message.from }, message.text);
    var who = message.from === "customer" ? "You" : message.author_name || (message.from === "agent" ? "Assistant" : "Support");
    item.insertBefore(el("small", {}, who), item.firstChild);
    state.ui.log.appendChild(item);
    state.ui.log.scrollTop = state.ui.log.scrollHeight;
    if (message.from === "operator") {
      state.ui.typing.textContent = "";
      state.unreceipted = Math.max(state.unreceipted, message.position);
    }
  }

  // Delivered as soon as the widget has it; read once the customer can see the open chat.
  function receipt(kind) {
    if (!state || !state.unreceipted) return;
    var upTo = state.unreceipted;
    if (kind === "read") {
      if (state.ui.panel.hidden || document.visibilityState !== "visible" || state.readUpTo >= upTo) return;
      state.readUpTo = upTo;
    } else {
      if (state.deliveredUpTo >= upTo) return;
      state.deliveredUpTo = upTo;
    }
    api("/receipts", { method: "POST", body: { state: kind, up_to: upTo } }).catch(function () {});
  }

  function post(message, attempt, item) {
    if (!item) {
      item = el("li", { class: "customer pending" }, message.text);
      (state.pending[message.text] = state.pending[message.text] || []).push(item);
      state.ui.log.appendChild(item);
      state.ui.log.scrollTop = state.ui.log.scrollHeight;
    }
    attempt = attempt || 0;
    var current = state;
    api("/messages", { method: "POST", body: message }).then(function (response) {
      if (response.ok || current !== state) return;
      if (response.status === 401) return expired();
      if (response.status >= 500 || response.status === 429) throw new Error("retry");
      item.className = "customer failed";
      item.textContent = message.text + " (not sent)";
    }).catch(function () {
      // The same id on every retry: the server stores the message once.
      if (current === state) setTimeout(function () { post(message, attempt + 1, item); }, Math.min(1000 * Math.pow(2, attempt), 15000));
    });
  }

  function expired() {
    setStatus("Your chat session has expired. Reload the page to continue.");
    stop();
  }

  function handle(type, data) {
    if (type === "message") {
      render(data);
      receipt("delivered");
      receipt("read");
    } else if (type === "typing") {
      state.ui.typing.textContent = (data.name || "Support") + " is typing\u2026";
      clearTimeout(state.typingTimer);
      state.typingTimer = setTimeout(function () { state.ui.typing.textContent = ""; }, 6000);
    } else if (type === "status") {
      // A new escalation of the same conversation: its positions start again, and so does the log.
      if (state.escalation && state.escalation !== data.escalation_id) {
        state.ui.log.textContent = "";
        state.seen = {};
        state.last = state.unreceipted = state.deliveredUpTo = state.readUpTo = 0;
      }
      state.escalation = data.escalation_id;
      setStatus(describe(data.status, data.operator_name));
    }
  }

  // EventSource cannot send an Authorization header, so the stream is read with fetch and
  // parsed here; reconnecting sends Last-Event-ID, the last message position seen.
  function connect() {
    var current = state;
    var controller = new AbortController();
    current.abort = controller;
    var headers = current.last ? { "Last-Event-ID": String(current.last) } : {};
    var query = current.escalation ? "?escalation=" + encodeURIComponent(current.escalation) : "";
    api("/events" + query, { headers: headers, signal: controller.signal }).then(function (response) {
      if (response.status === 401) return expired();
      if (response.status === 404) { setStatus("This conversation is not open yet."); throw new Error("retry"); }
      if (!response.ok || !response.body) throw new Error("retry");
      current.retries = 0;
      var reader = response.body.getReader();
      var decoder = new TextDecoder();
      var buffer = "";
      var type = "message", data = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) throw new Error("retry");
          buffer += decoder.decode(chunk.value, { stream: true });
          var lines = buffer.split(/\r?\n/);
          buffer = lines.pop();
          lines.forEach(function (line) {
            if (line === "") {
              if (data) handle(type, JSON.parse(data));
              type = "message";
              data = "";
            } else if (line.indexOf("event:") === 0) type = line.slice(6).trim();
            else if (line.indexOf("data:") === 0) data += line.slice(5).trim();
          });
          return pump();
        });
      }
      return pump();
    }).catch(function () {
      if (current !== state || controller.signal.aborted) return;
      var delay = Math.min(1000 * Math.pow(2, current.retries++), 10000);
      setTimeout(function () { if (current === state) connect(); }, delay);
    });
  }

  function stop() {
    if (!state) return;
    if (state.abort) state.abort.abort();
    state.stopped = true;
  }

  function open(options) {
    options = options || {};
    var connection = options.connection || (script && script.getAttribute("data-connection"));
    if (!connection || !options.token) throw new Error("AwaitHumanChat.open needs { connection, token }.");
    var ui = state ? state.ui : build(options.title || (script && script.getAttribute("data-title")) || "Chat");
    stop();
    ui.log.textContent = "";
    state = { connection: connection, token: options.token, ui: ui, last: 0, seen: {}, pending: {}, retries: 0,
      typedAt: 0, unreceipted: 0, deliveredUpTo: 0, readUpTo: 0 };
    connect();
    ui.show(options.expanded !== false);
  }

  function close() {
    stop();
    if (state) state.ui.host.remove();
    state = null;
  }

  window.AwaitHumanChat = { open: open, close: close };
  var token = script && script.getAttribute("data-token");
  if (token) {
    var start = function () { open({ token: token, expanded: script.getAttribute("data-open") === "true" }); };
    document.body ? start() : document.addEventListener("DOMContentLoaded", start);
  }
})();
