// The sign-up pages without a circuit: the slug follows the company name until edited by hand and is
// checked as it is typed; copy buttons copy the element they name. The forms work without this.
(() => {
  const name = document.getElementById("name");
  const slug = document.getElementById("slug");
  const status = document.getElementById("slug-status");

  const suggest = text => text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40).replace(/-+$/, "");

  let pending;
  let asked = 0;
  const check = () => {
    clearTimeout(pending);
    const value = slug.value.trim();
    if (!value) { status.textContent = ""; status.dataset.state = ""; return; }
    pending = setTimeout(async () => {
      const mine = ++asked;
      try {
        const response = await fetch(`/v1/signup/slug-availability?slug=${encodeURIComponent(value)}`, { headers: { accept: "application/json" } });
        if (mine !== asked) return;
        if (response.status === 429) { status.textContent = "Too many checks; the slug is checked again when you submit."; status.dataset.state = ""; return; }
        const answer = await response.json();
        status.textContent = answer.available ? `${answer.slug} is available.` : answer.problem;
        status.dataset.state = answer.available ? "available" : "taken";
        slug.setAttribute("aria-invalid", answer.available ? "false" : "true");
      } catch {
        if (mine === asked) { status.textContent = ""; status.dataset.state = ""; }
      }
    }, 250);
  };

  if (name && slug && status) {
    name.addEventListener("input", () => {
      if (slug.dataset.edited === "true") return;
      slug.value = suggest(name.value);
      check();
    });
    slug.addEventListener("input", () => { slug.dataset.edited = slug.value ? "true" : "false"; check(); });
    if (slug.value) check();
  }

  for (const button of document.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", async () => {
      const source = document.getElementById(button.dataset.copy);
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        button.textContent = "Copied";
      } catch {
        getSelection().selectAllChildren(source);
        button.textContent = "Press Ctrl+C";
      }
      setTimeout(() => { button.textContent = "Copy"; }, 2000);
    });
  }
})();
