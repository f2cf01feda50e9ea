// The AgentBill dashboard: reads /admin/dashboard with the admin key kept in this tab's sessionStorage.
// Every value from the ledger is written with textContent, never as HTML: customer and agent ids are caller data.
"use strict";

const storageKey = "agentbill.adminKey";
const $ = (id) => document.getElementById(id);

function status(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

function cell(row, value, numeric) {
  const td = document.createElement("td");
  td.textContent = value === null || value === undefined ? "" : String(value);
  if (numeric) td.className = "n";
  row.appendChild(td);
}

function fill(tableId, items, columns) {
  const body = $(tableId).tBodies[0];
  body.replaceChildren();
  if (items.length === 0) {
    const row = body.insertRow();
    const td = document.createElement("td");
    td.colSpan = columns.length;
    td.className = "empty";
    td.textContent = "none";
    row.appendChild(td);
    return;
  }
  for (const item of items) {
    const row = body.insertRow();
    for (const [value, numeric] of columns.map((c) => c(item))) cell(row, value, numeric);
  }
}

const number = (n) => [n === null || n === undefined ? "" : Number(n).toLocaleString("en-US"), true];
const text = (t) => [t, false];
const time = (t) => [t ? new Date(t).toISOString().replace("T", " ").slice(0, 19) + "Z" : "", false];

// Spend per day as bars: micro-dollars shown as dollars when any day has them, else the unit with the most use.
function chart(days) {
  const units = new Set(days.flatMap((d) => Object.keys(d.used)));
  const unit = units.has("usd") ? "usd" : [...units].sort((a, b) => total(days, b) - total(days, a))[0];
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 700 180");
  svg.setAttribute("role", "img");
  const values = days.map((d) => (unit ? d.used[unit] || 0 : 0));
  const max = Math.max(1, ...values);
  const width = 700 / days.length;
  days.forEach((d, i) => {
    const h = Math.round((values[i] / max) * 140);
    const bar = document.createElementNS(svg.namespaceURI, "rect");
    bar.setAttribute("x", String(i * width + 4));
    bar.setAttribute("y", String(150 - h));
    bar.setAttribute("width", String(width - 8));
    bar.setAttribute("height", String(h));
    const title = document.createElementNS(svg.namespaceURI, "title");
    title.textContent = d.day + ": " + label(values[i], unit);
    bar.appendChild(title);
    svg.appendChild(bar);
    const day = document.createElementNS(svg.namespaceURI, "text");
    day.setAttribute("x", String(i * width + 4));
    day.setAttribute("y", "168");
    day.textContent = d.day.slice(5);
    svg.appendChild(day);
  });
  const caption = document.createElementNS(svg.namespaceURI, "text");
  caption.setAttribute("x", "4");
  caption.setAttribute("y", "12");
  caption.textContent = unit ? "max " + label(max, unit) : "no usage in the last 14 days";
  svg.appendChild(caption);
  $("chart").replaceChildren(svg);
}

function total(days, unit) {
  return days.reduce((sum, d) => sum + (d.used[unit] || 0), 0);
}

function label(value, unit) {
  return unit === "usd" ? "$" + (value / 1e6).toFixed(2) : value.toLocaleString("en-US") + " " + (unit || "");
}

function show(data) {
  $("period").textContent = "Period " + data.period + " (" + data.time_zone + "), read " + time(data.now)[0];
  chart(data.daily);
  fill("usage", data.usage_by_customer, [(r) => text(r.customer_id), (r) => text(r.unit), (r) => number(r.used), (r) => number(r.reserved)]);
  fill("agents", data.usage_by_agent, [(r) => text(r.customer_id), (r) => text(r.agent_id), (r) => text(r.unit), (r) => number(r.used), (r) => number(r.reserved)]);
  fill("near", data.near_limit, [(r) => text(r.scope + " · " + r.unit), (r) => text(r.period), (r) => number(r.used + r.reserved), (r) => number(r.limit), (r) => [r.percent + " %", true]]);
  fill("holds", data.open_holds, [(r) => text(r.customer_id), (r) => text(r.agent_id), (r) => text(r.task_ref), (r) => number(r.units), (r) => time(r.expires_at)]);
  fill("refusals", data.refusals, [(r) => time(r.at), (r) => text(r.customer_id), (r) => text(r.agent_id), (r) => text(r.reason), (r) => number(r.requested), (r) => number(r.remaining)]);
  $("data").hidden = false;
}

function hide() {
  $("data").hidden = true;
  for (const id of ["usage", "agents", "near", "holds", "refusals"]) $(id).tBodies[0].replaceChildren();
  $("chart").replaceChildren();
}

async function load() {
  const key = sessionStorage.getItem(storageKey);
  if (!key) {
    hide();
    status("Enter an admin key to see the ledger.", false);
    return;
  }
  status("Loading…", false);
  let response;
  try {
    response = await fetch("/admin/dashboard", { headers: { Authorization: "Bearer " + key }, cache: "no-store" });
  } catch (e) {
    hide();
    status("The server did not answer.", true);
    return;
  }
  if (response.status === 401 || response.status === 403) {
    sessionStorage.removeItem(storageKey);
    hide();
    status(response.status === 401 ? "That key was refused: it is unknown, revoked or expired." : "That is a metering key: the dashboard needs an admin key.", true);
    return;
  }
  if (!response.ok) {
    hide();
    status("The server answered " + response.status + ": the store may be unavailable.", true);
    return;
  }
  show(await response.json());
  status("Showing the ledger.", false);
  document.body.dataset.loaded = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  $("signin").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("key").value.trim();
    $("key").value = "";
    if (key) sessionStorage.setItem(storageKey, key);
    else sessionStorage.removeItem(storageKey);
    load();
  });
  $("signout").addEventListener("click", () => {
    sessionStorage.removeItem(storageKey);
    delete document.body.dataset.loaded;
    load();
  });
  load();
});
