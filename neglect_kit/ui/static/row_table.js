// The kit's table with buttons on each row (see neglect_kit/ui/row_table.py).
// Cells are set as text, never as HTML. The rows' buttons take one Tab stop per column of
// buttons (a roving tabindex): the arrow keys move between rows, so the table is not 75
// stops between a keyboard user and the form below it.
const FOLD_AT = 180; // characters: a longer cell folds to its start, opened on demand
const FOLD_SHOW = 140;

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function cell(key, text, fold) {
  const td = el("td", { class: `nk-col-${key}` });
  const value = text ?? "";
  if (fold && value.length > FOLD_AT) {
    const details = el("details");
    const summary = el("summary");
    summary.append(el("span", { class: "nk-start" }, value.slice(0, FOLD_SHOW).trimEnd() + "\u2026 (more)"),
      el("span", { class: "nk-less" }, "Show less"));
    details.append(summary, el("p", {}, value));
    td.append(details);
  } else {
    td.textContent = value;
  }
  return td;
}

function render({ model, el: host }) {
  const region = el("div", { class: "nk-rowtable", role: "region" });
  const help = el("p", { class: "nk-rowtable-help" },
    "Each row's buttons act on that row; the up and down arrow keys move between rows.");
  const table = el("table");
  const pager = el("div", { class: "nk-rowtable-pager" });
  region.append(help, table, pager);
  host.append(region);
  let current = 0; // the row whose buttons take the Tab stops
  let revealed = null; // rows drawn when the pager was pressed: focus goes to the first new row

  function buttonsOf(rowIndex) {
    return Array.from(table.querySelectorAll(`tbody tr:nth-child(${rowIndex + 1}) button`));
  }

  function makeCurrent(rowIndex) {
    table.querySelectorAll("tbody button").forEach((b) => b.setAttribute("tabindex", "-1"));
    buttonsOf(rowIndex).forEach((b) => b.setAttribute("tabindex", "0"));
    current = rowIndex;
  }

  function focusOn(rowIndex, action) { // a row's button for `action` (its first, if none is given)
    makeCurrent(rowIndex);
    const buttons = buttonsOf(rowIndex);
    (action ? buttons.find((b) => b.dataset.action === action) : buttons[0])?.focus();
  }

  function draw() {
    const columns = model.get("columns");
    const actions = model.get("actions");
    const rows = model.get("rows");
    const selected = model.get("selected");
    // A redraw replaces every button: keep the keyboard user's place (the same button of the
    // same entry) rather than dropping focus to the page's start.
    const had = document.activeElement?.closest?.("button.nk-row-action");
    const keep = had && table.contains(had)
      ? { id: had.closest("tr").dataset.id, action: had.dataset.action } : null;
    region.setAttribute("aria-label", model.get("label"));
    table.className = model.get("table_class");
    table.replaceChildren();
    table.append(el("caption", {}, model.get("caption")));
    const head = el("tr");
    for (const c of columns) head.append(el("th", { scope: "col" }, c.heading));
    if (actions.length) head.append(el("th", { scope: "col" }, "Work on it"));
    table.appendChild(el("thead")).append(head);
    const body = table.appendChild(el("tbody"));
    rows.forEach((row) => {
      const tr = el("tr", { "data-id": row.id });
      if (row.id === selected) tr.classList.add("nk-row-selected");
      for (const c of columns) tr.append(cell(c.key, row.cells[c.key], c.fold));
      if (actions.length) {
        const td = el("td", { class: "nk-row-actions" });
        for (const a of actions) {
          const b = el("button", { type: "button", class: "nk-row-action", "data-action": a.name,
            "aria-label": `${a.label}: ${row.name}` }, a.label);
          b.addEventListener("click", () => {
            makeCurrent(Array.from(body.children).indexOf(tr));
            model.send({ action: a.name, id: row.id });
            if (a.focus) setTimeout(() => document.querySelector(a.focus)?.focus(), 300);
          });
          td.append(b);
        }
        tr.append(td);
      }
      body.append(tr);
    });
    makeCurrent(Math.min(current, Math.max(rows.length - 1, 0)));
    if (revealed !== null && rows.length !== revealed) { // the pager's answer (or rows changed since)
      if (rows.length > revealed) focusOn(revealed);
      revealed = null;
    } else if (keep && rows.length) {
      // the same entry's row, or (the entry gone) the row now in its place
      const at = Array.from(body.children).findIndex((r) => r.dataset.id === keep.id);
      focusOn(at >= 0 ? at : current, keep.action);
    }
    const remaining = model.get("remaining");
    pager.replaceChildren();
    if (remaining > 0) {
      const next = Math.min(model.get("page"), remaining);
      const more = el("button", { type: "button" }, `Show the next ${next}`);
      const all = el("button", { type: "button" }, `Show all ${rows.length + remaining}`);
      for (const [button, action] of [[more, "more"], [all, "all"]]) {
        button.addEventListener("click", () => { revealed = rows.length; model.send({ action }); });
      }
      pager.append(more, all);
    }
    const chosen = body.querySelector(".nk-row-selected");
    if (chosen) chosen.scrollIntoView({ block: "nearest" });
  }

  table.addEventListener("keydown", (event) => {
    const button = event.target.closest("button.nk-row-action");
    if (!button) return;
    const rows = table.querySelectorAll("tbody tr").length;
    const moves = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: rows - 1 };
    if (!(event.key in moves)) return;
    const to = Math.max(0, Math.min(rows - 1, moves[event.key]));
    event.preventDefault();
    focusOn(to, button.dataset.action);
  });

  draw();
  for (const name of ["rows", "columns", "actions", "caption", "selected", "remaining"]) {
    model.on(`change:${name}`, draw);
  }
  return () => region.remove();
}

export default { render };
