// The web page of `seedforge serve` (admin_server.h): one HTML document with its style and
// script inline, so the binary serves it from any directory and the page makes no request but
// to the server itself (its Content-Security-Policy forbids any other).
//
// The script exchanges the one-time ?login= code for the token (POST /api/v1/login), keeps the
// token in sessionStorage (gone with the tab; no cookie) and sends it as a bearer token; the
// progress stream (EventSource, which cannot send headers) passes it as ?token=.
#include "tools/admin_server.h"

namespace seedforge {

std::string_view AdminPageHtml() {
  return R"html(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>seedforge serve</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; max-width: 1100px; }
h1 { font-size: 1.4em; margin: 0 0 .2em; } h2 { font-size: 1.1em; margin: 1.4em 0 .4em; }
table { border-collapse: collapse; } td, th { padding: .2em .7em; border-bottom: 1px solid #ddd; }
th { text-align: left; background: #f3f3f3; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
input[type=number] { width: 8em; } input { padding: .2em; }
button { padding: .25em .8em; margin: .1em; cursor: pointer; }
button.danger { color: #fff; background: #b3261e; border: 1px solid #8c1d18; }
#message { min-height: 1.4em; font-weight: 600; } #message.error { color: #b3261e; }
.bar { width: 260px; height: 12px; background: #eee; display: inline-block; vertical-align: middle; }
.bar > span { display: block; height: 100%; background: #2e7d32; }
.muted { color: #666; } section { margin-bottom: 1em; }
</style>
</head>
<body>
<h1>seedforge <span class="muted" id="version"></span></h1>
<div>database <b id="database">?</b>, profile <b id="profile">?</b>, seed <b id="seed">?</b>,
  size <span id="size">?</span></div>
<div id="message"></div>

<section>
<h2>Tables</h2>
<table id="stats"><thead><tr><th>table</th><th>rows</th><th>target</th><th>size</th></tr></thead>
<tbody></tbody></table>
</section>

<section>
<h2>Seed or top up</h2>
<form id="seed-form">
  profile <input id="seed-profile" size="14"> seed <input id="seed-seed" size="10" placeholder="profile's">
  <label><input type="checkbox" id="seed-clear"> clear existing rows first</label>
  <table id="targets"><thead><tr><th>table</th><th>target rows</th></tr></thead><tbody></tbody></table>
  <button type="submit" id="seed-button">Seed</button>
</form>
<div id="progress" hidden>
  <div><span class="bar"><span id="progress-bar" style="width:0%"></span></span>
    <span id="progress-text">0%</span> <span id="progress-state" class="muted"></span></div>
  <table id="progress-tables"><tbody></tbody></table>
</div>
</section>

<section>
<h2>Clear or reset</h2>
Type the database name to confirm: <input id="confirm-name" size="20">
<button class="danger" id="clear-button">Clear</button>
<button class="danger" id="reset-button">Reset</button>
<button id="verify-button">Verify</button> <span id="verify-result"></span>
</section>

<section>
<h2>Snapshots</h2>
name <input id="snapshot-name" size="24" placeholder="default: date and time">
<button id="snapshot-create">Create snapshot</button>
<table id="snapshots"><thead><tr><th>name</th><th>created</th><th>rows</th><th>size</th><th></th></tr></thead>
<tbody></tbody></table>
</section>

<section>
<h2>Run history</h2>
<div id="chart"></div>
<table id="runs"><thead><tr><th>id</th><th>started</th><th>command</th><th>profile</th><th>rows added</th>
<th>seconds</th><th>outcome</th></tr></thead><tbody></tbody></table>
</section>

<script>
"use strict";
let token = sessionStorage.getItem("seedforge-token");
let database = "";
let events = null;
const $ = (id) => document.getElementById(id);

function say(text, error) {
  $("message").textContent = text;
  $("message").className = error ? "error" : "";
}
function cell(row, text, numeric) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) td.className = "n";
  return td;
}
function digits(n) { return Number(n).toLocaleString("en-US"); }

async function api(method, path, body) {
  const options = { method, headers: { "Authorization": "Bearer " + token } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || ("HTTP " + response.status));
  return data;
}

async function login() {
  const params = new URLSearchParams(location.search);
  const code = params.get("login");
  if (code) {
    history.replaceState(null, "", "/");  // the code is spent; keep it out of the history
    const response = await fetch("/api/v1/login", { method: "POST",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify({ code }) });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error || "login failed");
    token = data.token;
    sessionStorage.setItem("seedforge-token", token);
  }
  if (!token) throw new Error("not logged in: open the link `seedforge serve` printed");
}

async function loadStats() {
  const stats = await api("GET", "/api/v1/stats");
  database = stats.database;
  $("database").textContent = stats.database;
  $("profile").textContent = stats.profile;
  $("seed").textContent = stats.seed;
  $("size").textContent = stats.database_size;
  $("version").textContent = "PostgreSQL " + stats.server_version;
  if (!$("seed-profile").value) $("seed-profile").value = stats.profile;
  const body = $("stats").tBodies[0];
  body.textContent = "";
  const targets = $("targets").tBodies[0];
  const fill = targets.rows.length === 0;
  for (const table of stats.tables) {
    const row = body.insertRow();
    row.dataset.table = table.table;
    cell(row, table.table);
    cell(row, table.exists ? digits(table.rows) : "absent", true).className = "n rows";
    cell(row, digits(table.target), true);
    cell(row, table.size || "-", true);
    if (fill) {
      const target = targets.insertRow();
      cell(target, table.table);
      const input = document.createElement("input");
      input.type = "number"; input.min = "0"; input.value = table.target;
      input.dataset.table = table.table; input.dataset.initial = table.target;
      target.insertCell().appendChild(input);
    }
  }
}

async function loadSnapshots() {
  const list = await api("GET", "/api/v1/snapshots");
  const body = $("snapshots").tBodies[0];
  body.textContent = "";
  for (const entry of list) {
    const row = body.insertRow();
    row.dataset.snapshot = entry.name;
    cell(row, entry.name);
    cell(row, entry.created_at || "damaged");
    cell(row, entry.rows === undefined ? "-" : digits(entry.rows), true);
    cell(row, entry.size, true);
    const actions = row.insertCell();
    const restore = document.createElement("button");
    restore.textContent = "Restore"; restore.className = "danger restore";
    restore.onclick = () => restoreSnapshot(entry.name);
    const remove = document.createElement("button");
    remove.textContent = "Delete"; remove.className = "delete";
    remove.onclick = () => deleteSnapshot(entry.name);
    actions.append(restore, remove);
  }
}

// Seconds per completed seed run over time, one line per profile, as inline SVG.
function drawChart(runs) {
  const points = runs.filter((r) => (r.command === "seed" || r.command === "reset") &&
                                    r.outcome === "completed" && r.rows_added > 0)
                     .map((r) => ({ profile: r.profile, t: Date.parse(r.started_at), s: r.seconds }))
                     .sort((a, b) => a.t - b.t);
  const chart = $("chart");
  if (points.length === 0) { chart.textContent = "no completed seed runs yet"; return; }
  const width = 640, height = 200, pad = 40;
  const t0 = points[0].t, t1 = Math.max(points[points.length - 1].t, t0 + 1);
  const smax = Math.max(...points.map((p) => p.s)) || 1;
  const x = (t) => pad + (width - 2 * pad) * (t - t0) / (t1 - t0);
  const y = (s) => height - pad + (2 * pad - height) * s / smax;
  const colors = ["#1565c0", "#2e7d32", "#b3261e", "#6a1b9a", "#ef6c00", "#00838f"];
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", width); svg.setAttribute("height", height);
  svg.setAttribute("id", "chart-svg");
  const add = (name, attributes, text) => {
    const element = document.createElementNS(ns, name);
    for (const key in attributes) element.setAttribute(key, attributes[key]);
    if (text !== undefined) element.textContent = text;
    svg.appendChild(element);
    return element;
  };
  add("line", { x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, stroke: "#999" });
  add("line", { x1: pad, y1: pad, x2: pad, y2: height - pad, stroke: "#999" });
  add("text", { x: 2, y: pad, "font-size": 11 }, smax.toFixed(2) + " s");
  add("text", { x: 2, y: height - pad, "font-size": 11 }, "0 s");
  const profiles = [...new Set(points.map((p) => p.profile))];
  profiles.forEach((profile, i) => {
    const mine = points.filter((p) => p.profile === profile);
    const color = colors[i % colors.length];
    add("polyline", { fill: "none", stroke: color, "stroke-width": 2,
                      points: mine.map((p) => x(p.t) + "," + y(p.s)).join(" ") });
    for (const p of mine) add("circle", { cx: x(p.t), cy: y(p.s), r: 3, fill: color });
    add("text", { x: width - pad + 4, y: pad + 14 * i, fill: color, "font-size": 11 }, profile);
  });
  chart.textContent = "";
  chart.appendChild(svg);
}

async function loadRuns() {
  const runs = await api("GET", "/api/v1/runs?limit=200");
  const body = $("runs").tBodies[0];
  body.textContent = "";
  for (const run of runs.slice(0, 20)) {
    const row = body.insertRow();
    cell(row, run.id, true);
    cell(row, run.started_at);
    cell(row, run.command);
    cell(row, run.profile);
    cell(row, digits(run.rows_added), true);
    cell(row, Number(run.seconds).toFixed(3), true);
    cell(row, run.outcome + (run.message ? ": " + run.message : ""));
  }
  drawChart(runs);
}

async function refresh() {
  await Promise.all([loadStats(), loadSnapshots(), loadRuns()]);
}

function showJob(job) {
  $("progress").hidden = false;
  const percent = Math.min(100, Number(job.percent));
  $("progress-bar").style.width = percent + "%";
  $("progress-text").textContent = percent.toFixed(1) + "%";
  $("progress-state").textContent = job.kind + " " + job.state + " " + digits(job.rows) + "/" +
      digits(job.total_rows) + " rows" + (job.error ? ": " + job.error : "");
  const body = $("progress-tables").tBodies[0];
  body.textContent = "";
  for (const table of job.tables) {
    const row = body.insertRow();
    cell(row, table.table);
    const bar = row.insertCell();
    bar.innerHTML = '<span class="bar"><span></span></span>';
    bar.querySelector("span span").style.width = Math.min(100, table.percent) + "%";
    cell(row, table.percent.toFixed(1) + "%", true);
    cell(row, digits(Math.round(table.rows_per_second)) + " rows/s", true);
    cell(row, table.phase);
  }
}

function follow() {
  if (events) events.close();
  events = new EventSource("/api/v1/jobs/current/events?token=" + encodeURIComponent(token));
  events.addEventListener("progress", (e) => showJob(JSON.parse(e.data)));
  events.addEventListener("end", (e) => {
    const job = JSON.parse(e.data);
    showJob(job);
    events.close(); events = null;
    if (job.state === "failed") say(job.kind + " failed: " + job.error, true);
    else say(job.kind + " completed in " + Number(job.seconds).toFixed(2) + " s");
    refresh().catch((error) => say(error.message, true));
  });
}

async function act(work) {
  try { await work(); } catch (error) { say(error.message, true); }
}

$("seed-form").onsubmit = (event) => {
  event.preventDefault();
  act(async () => {
    const rows = {};
    for (const input of $("targets").querySelectorAll("input")) {
      if (input.value !== input.dataset.initial) rows[input.dataset.table] = Number(input.value);
    }
    const body = { profile: $("seed-profile").value, rows, clear_existing: $("seed-clear").checked };
    if ($("seed-seed").value) body.seed = $("seed-seed").value;
    await api("POST", "/api/v1/seed", body);
    say("seeding...");
    follow();
  });
};
$("clear-button").onclick = () => act(async () => {
  await api("POST", "/api/v1/clear", { confirm: $("confirm-name").value });
  say("cleared");
  await refresh();
});
$("reset-button").onclick = () => act(async () => {
  await api("POST", "/api/v1/reset", { confirm: $("confirm-name").value,
                                       profile: $("seed-profile").value });
  say("resetting...");
  follow();
});
$("verify-button").onclick = () => act(async () => {
  say("verifying...");
  const report = await api("POST", "/api/v1/verify", {});
  $("verify-result").textContent = report.passed ? "verify passed" : report.failed + " checks failed";
  say("");
});
$("snapshot-create").onclick = () => act(async () => {
  say("creating snapshot...");
  const entry = await api("POST", "/api/v1/snapshots", { name: $("snapshot-name").value });
  say("snapshot " + entry.name + " created");
  await loadSnapshots();
});
async function restoreSnapshot(name) {
  const typed = prompt("Restoring snapshot " + name + " replaces the data of database " +
                       database + ". Type the database name to confirm:");
  if (typed === null) return;
  await act(async () => {
    say("restoring " + name + "...");
    await api("POST", "/api/v1/snapshots/" + encodeURIComponent(name) + "/restore", { confirm: typed });
    say("snapshot " + name + " restored");
    await refresh();
  });
}
async function deleteSnapshot(name) {
  if (!confirm("Delete snapshot " + name + "?")) return;
  await act(async () => {
    await api("DELETE", "/api/v1/snapshots/" + encodeURIComponent(name));
    say("snapshot " + name + " deleted");
    await loadSnapshots();
  });
}

act(async () => {
  await login();
  await refresh();
  document.body.dataset.ready = "true";
});
</script>
</body>
</html>
)html";
}

}  // namespace seedforge
