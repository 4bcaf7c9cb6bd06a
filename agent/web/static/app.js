// housemind dashboard: a little vanilla JavaScript (no build step).
// Every state-changing request carries the page's CSRF token; live updates come by
// server-sent events from /api/live.
"use strict";

const csrf = () => document.querySelector('meta[name="csrf-token"]')?.content || "";
const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));

async function api(method, url, body) {
  const opts = {method, headers: {"X-CSRF-Token": csrf(), "Accept": "application/json"}, credentials: "same-origin"};
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(url, opts);
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (res.status === 401) { location.href = "/login?next=" + encodeURIComponent(location.pathname); }
  return {ok: res.ok, status: res.status, data: data || {}};
}

function toast(msg, bad = false) {
  const t = $("#toast");
  if (!t) return;
  t.textContent = msg;
  t.className = bad ? "bad" : "";
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
}

function formData(form) {
  const out = {};
  for (const el of form.elements) {
    if (el.name && el.value !== "") out[el.name] = el.value;
  }
  return out;
}

// -- live regions: re-render the parts of this page marked data-live ----------------------
async function refreshRegions() {
  const res = await fetch(location.href, {credentials: "same-origin"});
  if (!res.ok) return;
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  for (const el of $$("[data-live]")) {
    const fresh = doc.querySelector(`[data-live="${el.dataset.live}"]`);
    if (!fresh) continue;
    // Never pull a form from under someone typing in it.
    const typing = el.contains(document.activeElement) && document.activeElement.value;
    if (!typing) el.innerHTML = fresh.innerHTML;
  }
}

// -- the emergency stop, in every page's header ---------------------------------------------
async function pressStop() {
  const r = await api("POST", "/api/estop", {reason: "pressed on the dashboard"});
  if (r.ok) { showStop(r.data); toast("Emergency stop pressed: the robot stops now."); }
  else toast(r.data.error || "could not press the stop", true);
}

function showStop(st) {
  const b = $("#estop-banner");
  if (!b) return;
  b.hidden = !st.engaged;
  if (st.engaged) {
    $("#estop-by").textContent = st.pressed_by || "someone";
    $("#estop-reason").textContent = st.reason || "";
  }
}

// -- what the robot is doing (home page) ----------------------------------------------------
let lastWorld = null;
let lastBeliefs = 0;
function showStatus(live) {
  const st = live.status;
  if (!st) return;
  const set = (id, text) => { const el = document.getElementById(id); if (el) el.textContent = text; };
  set("phase", st.phase);
  set("age", st.age_s > 60 ? `(last heard ${Math.round(st.age_s)} s ago)` : "");
  const busy = ["chore", "waiting", "stopped"].includes(st.phase);
  set("goal", busy && st.goal ? st.goal : "—");
  set("subtask", st.subtask || "—");
  if (st.robot_time) set("robot-time", new Date(st.robot_time).toUTCString().slice(0, 22));
  const steps = $("#steps");
  if (steps) {
    steps.innerHTML = ["chore", "stopped"].includes(st.phase)
      ? st.steps.map((s) => `<li class="s-${esc(s.status)}">${esc(s.text)}</li>`).join("") : "";
  }
  const recent = $("#recent");
  if (recent) {
    recent.innerHTML = st.recent.slice(-12).reverse()
      .map((e) => `<li><span class="t">${esc((e.time || "").slice(11, 16))}</span> ${esc(e.text)}</li>`).join("");
  }
  const view = $("#view");
  if (view && st.has_world && st.world_at + st.updated_at !== lastWorld) {
    lastWorld = st.world_at + st.updated_at;
    view.src = "/home/view.png?t=" + Date.now();
    $("#view-figure").hidden = false;
  }
  const map = $("#beliefs-map");
  if (map && Date.now() - lastBeliefs > 3000) {
    lastBeliefs = Date.now();
    map.onload = () => { $("#beliefs-figure").hidden = false; };
    map.src = "/home/beliefs.png?t=" + Date.now();
  }
}

function startLive() {
  if (!window.EventSource) return;
  let marks = null;
  const es = new EventSource("/api/live");
  es.addEventListener("update", (ev) => {
    const live = JSON.parse(ev.data);
    document.body.dataset.liveMarks = JSON.stringify(live.marks);
    showStop(live.estop);
    const badge = (id, n) => { const b = document.getElementById(id); if (b) { b.textContent = n; b.hidden = !n; } };
    badge("badge-approvals", live.pending_approvals);
    badge("badge-questions", live.questions);
    showStatus(live);
    if (marks && (marks.audit !== live.marks.audit || marks.tasks !== live.marks.tasks)) refreshRegions();
    marks = live.marks;
  });
}

// -- talk -----------------------------------------------------------------------------------
function say(who, html) {
  const chat = $("#chat");
  const div = document.createElement("div");
  div.className = "msg " + who;
  div.innerHTML = html;
  chat.appendChild(div);
  chat.scrollTop = chat.scrollHeight;
  return div;
}

function listOf(items, cls = "") {
  return items.length ? `<ul>${items.map((i) => `<li class="${cls}">${esc(i)}</li>`).join("")}</ul>` : "";
}

async function readBack(text) {
  say("me", esc(text));
  const r = await api("POST", "/api/instructions/preview", {text});
  if (!r.ok) { say("robot", `<span class="no">${esc(r.data.error)}</span>`); return; }
  const d = r.data;
  const lines = [...d.instructions.map((i) => i.read_back), ...d.facts.map((f) => f.read_back)];
  let html = lines.length ? `Here is how I understood it:${listOf(lines)}` : "I did not understand that well enough to store anything.";
  html += listOf(d.notes.map((n) => "note: " + n));
  html += listOf(d.questions, "q");
  const msg = say("robot", html);
  if (d.understood) {
    const row = document.createElement("div");
    row.className = "row";
    row.innerHTML = `<button id="confirm">Yes, that's right — save it</button><button class="secondary" id="retry">No, let me say it again</button>`;
    msg.appendChild(row);
    $("#confirm", msg).addEventListener("click", () => { row.remove(); store(text); });
    $("#retry", msg).addEventListener("click", () => { row.remove(); $("#say").focus(); });
  }
}

async function store(text) {
  const r = await api("POST", "/api/instructions", {text});
  if (!r.ok) { say("robot", `<span class="no">${esc(r.data.error)}</span>`); return; }
  const d = r.data;
  if (d.denied.length) {
    say("robot", `<span class="no">I won't do that, and I stored nothing:</span>${listOf(d.denied.map((x) => `${x.text}: ${x.reasons.join(" ")}`), "no")}`);
    return;
  }
  const saved = d.stored.map((s) => s.read_back + (s.approval_id ? ` — waiting for an owner's or a member's approval (request ${s.approval_id})` : ""));
  let html = saved.length || d.facts.length ? `Saved:${listOf([...saved, ...d.facts])}` : "Nothing was stored: answer my questions and say it again.";
  html += listOf(d.conflicts.map((c) => "clash: " + c), "no");
  html += listOf(d.questions, "q");
  if (saved.length) html += `<p><a href="/week">See the week →</a></p>`;
  say("robot", html);
  $("#say").value = "";
}

// -- event handlers (delegated: they survive live re-renders) --------------------------------
document.addEventListener("submit", async (ev) => {
  const f = ev.target;
  ev.preventDefault();
  if (f.id === "say-form") return readBack($("#say").value.trim());
  if (f.classList.contains("answer")) {
    const r = await api("POST", "/api/answers", {task_id: f.dataset.task, text: f.elements.text.value});
    if (r.ok) { toast("Thanks — the robot picks up your answer."); f.remove(); } else toast(r.data.error, true);
    return;
  }
  if (f.id === "correct-form") {
    const r = await api("POST", "/api/corrections", {text: f.elements.text.value});
    const out = $("#correct-result");
    if (!r.ok) { out.textContent = r.data.error; return; }
    out.textContent = r.data.refused ? "Not kept: " + r.data.reasons.join(" ") : `Noted${r.data.goal ? ` for “${r.data.goal}”` : ""}: ${r.data.text}`;
    if (!r.data.refused) f.reset();
    return;
  }
  if (f.id === "ask-form") {
    const q = f.elements.q.value;
    const r = await api("GET", "/api/memory/ask?q=" + encodeURIComponent(q));
    const box = $("#answer");
    box.hidden = false;
    if (!r.ok) { box.innerHTML = `<p class="error">${esc(r.data.error)}</p>`; return; }
    const ev2 = r.data.evidence || [];
    box.innerHTML = `<p class="a">${esc(r.data.answer)}</p>` + (ev2.length ? `<ul class="recent">${ev2.slice(0, 8).map((e) => `<li><span class="t">${esc((e.time || "").slice(0, 16).replace("T", " "))}</span> ${esc(e.text)}</li>`).join("")}</ul>` : "");
    return;
  }
  if (f.id === "shop-form") {
    const r = await api("POST", "/api/shopping", {item: f.elements.item.value});
    if (r.ok) { f.reset(); refreshRegions(); } else toast(r.data.error, true);
    return;
  }
  if (f.id === "add-person") {
    const r = await api("POST", "/api/people", formData(f));
    if (r.ok) { toast(`${r.data.display} is now a ${r.data.role}; make them a token to sign in.`); refreshRegions(); } else toast(r.data.error, true);
    return;
  }
  if (f.id === "password-form") {
    const r = await api("POST", "/api/me/password", formData(f));
    if (r.ok) { toast("Your password is set; your other sessions have ended."); f.reset(); } else toast(r.data.error, true);
  }
});

document.addEventListener("click", async (ev) => {
  const b = ev.target.closest("button");
  if (!b) return;
  if (b.id === "estop" || b.id === "estop-big") return pressStop();
  if (b.id === "estop-release") {
    const r = await api("POST", "/api/estop/release");
    if (r.ok) { showStop(r.data); toast("The stop is released; the robot carries on."); } else toast(r.data.error, true);
    return;
  }
  if (b.id === "logout") {
    await api("POST", "/api/logout");
    location.href = "/login";
    return;
  }
  if (b.dataset.edit) {
    const id = b.closest("tr").dataset.id;
    const action = b.dataset.edit;
    let r;
    if (action === "delete") {
      if (!confirm("Delete this instruction? Its past tasks stay in the history.")) return;
      r = await api("DELETE", `/api/instructions/${id}`);
    } else if (action === "change") {
      const text = prompt("What should it become? e.g. 'water the plants every day at 10am'");
      if (!text) return;
      r = await api("POST", `/api/instructions/${id}/change`, {text});
    } else {
      r = await api("POST", `/api/instructions/${id}/${action}`);
    }
    if (r.status === 202) toast(`Changed, but paused until an owner or a member approves it (request ${r.data.approval_id}).`);
    else if (r.ok) toast(`${action}: ${r.data.read_back}`);
    else toast((r.data.error || "refused") + (r.data.reasons ? " " + r.data.reasons.join(" ") : ""), true);
    refreshRegions();
    return;
  }
  if (b.dataset.answer) {
    const card = b.closest(".approval");
    const f = formData(b.closest("form"));
    const body = b.dataset.answer === "approve"
      ? {scope: f.scope || null, days: f.days ? Number(f.days) : null, why: f.why || null}
      : {why: f.why || null};
    const r = await api("POST", `/api/approvals/${card.dataset.id}/${b.dataset.answer}`, body);
    if (r.ok) {
      const hint = r.data.status === "approved" && r.data.level === "instruction" ? " Resume the instruction on the week page." : "";
      toast(`${r.data.status} by ${r.data.decided_by}.${hint}`);
      card.remove();
    } else toast(r.data.error, true);
    return;
  }
  if (b.dataset.bought) {
    const r = await api("POST", "/api/shopping/done", {item: b.dataset.bought});
    if (r.ok) refreshRegions(); else toast(r.data.error, true);
    return;
  }
  if (b.dataset.token) {
    const r = await api("POST", `/api/people/${encodeURIComponent(b.dataset.token)}/token`);
    const out = $("#token-out");
    if (r.ok) { out.hidden = false; out.innerHTML = `New token for <b>${esc(r.data.name)}</b> (shown once; the old one stops working): <code id="token">${esc(r.data.token)}</code>`; }
    else toast(r.data.error, true);
    return;
  }
  if (b.dataset.remove) {
    if (!confirm(`Remove ${b.dataset.remove} from the household?`)) return;
    const r = await api("DELETE", `/api/people/${encodeURIComponent(b.dataset.remove)}`);
    if (r.ok) refreshRegions(); else toast(r.data.error, true);
  }
});

document.addEventListener("DOMContentLoaded", startLive);
