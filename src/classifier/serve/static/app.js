// The reviewers' page: sends report files to the service's API and shows what comes back.
// Plain JavaScript, no libraries, nothing fetched from anywhere but this service.
"use strict";

const state = { labels: {}, parts: {}, low: 0.6, maxFiles: 50, files: [], rows: [], sort: null,
  token: sessionStorage.getItem("classifier-token") || "" };
const LEVELS = { township: "乡镇", street: "街道", county: "县", district: "区", city: "市", province: "省",
  department: "部门" };
const PART_SHORT = { measures: "举", duty: "责", shortcomings: "足", plans: "划" };
const $ = (selector) => document.querySelector(selector);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("data-") || key.startsWith("aria-") || key === "title" || key === "href" || key === "id")
      node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

const pct = (v) => (v === null || v === undefined || v === "" ? "" : `${Math.round(100 * v)}%`);
const labelName = (label) => (state.labels[label] ? state.labels[label].name : label);
const cssName = (label) => label.replace(/[^A-Za-z0-9_-]/g, "-");

async function api(path, body) {
  const headers = state.token ? { Authorization: `Bearer ${state.token}` } : {};
  const init = body === undefined ? { headers } : { method: "POST", headers, body };
  if (body !== undefined && !(body instanceof FormData)) {
    init.body = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, init);
  if (response.ok) return response;
  let message = `${response.status} ${response.statusText}`;
  try { message = (await response.json()).error.message; } catch (ignored) { /* not JSON */ }
  if (response.status === 401) $("#token-box").hidden = false;
  throw new Error(message);
}

function form(files) {
  const data = new FormData();
  for (const file of files) data.append("files", file);
  return data;
}

function oneFile(file) {
  const data = new FormData();
  data.append("file", file);
  return data;
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function status(text) { $("#status").textContent = text; }
function fail(name, message) { $("#errors").append(el("li", { text: name ? `${name}：${message}` : message })); }

async function init() {
  const page = await (await fetch("/ui/labels.json")).json();
  state.labels = page.labels; state.parts = page.parts; state.low = page.low_confidence; state.maxFiles = page.max_files;
  $("#threshold").textContent = state.low.toFixed(2);
  const sheet = document.styleSheets[0];
  for (const [label, look] of Object.entries(state.labels)) {
    sheet.insertRule(`.l-${cssName(label)} { background: ${look.fill}; box-shadow: inset 0 -2px 0 ${look.edge}; }`,
      sheet.cssRules.length);
    $("#legend").append(el("span", { class: `tag l-${cssName(label)}`, text: `${look.name} ${label}` }));
  }
  if (page.token && !state.token) $("#token-box").hidden = false;
  showModel();
}

async function showModel() {
  try {
    const card = await (await api("/v1/model")).json();
    const f1 = card.metrics["cv.macro_f1"];
    $("#model").textContent = `模型 ${card.name}（${card.version}）` + (f1 ? ` · 交叉验证 macro-F1 ${f1.toFixed(3)}` : "");
  } catch (error) { $("#model").textContent = `模型信息不可用：${error.message}`; }
}

async function run(files) {
  if (!files.length) return;
  if (files.length > state.maxFiles) { fail("", `一次最多 ${state.maxFiles} 个文件`); return; }
  state.files = files;
  $("#reports").replaceChildren(); $("#errors").replaceChildren();
  $("#batch-panel").hidden = true;
  let shown = 0;
  for (const [k, file] of files.entries()) {
    status(`正在分类 ${k + 1}/${files.length}：${file.name}`);
    try {
      const result = await (await api("/v1/classify", oneFile(file))).json();
      $("#reports").append(reportSection(file, result, k));
      shown += 1;
    } catch (error) { fail(file.name, error.message); }
  }
  $("#legend-panel").hidden = shown === 0;
  if (shown) {
    status("正在汇总……");
    try {
      const batch = await (await api("/v1/summarize", form(files))).json();
      showBatch(batch.rows);
    } catch (error) { fail("汇总", error.message); }
  }
  status(`完成：${shown} 份报告已分类` + (shown < files.length ? `，${files.length - shown} 份无法读取` : ""));
  document.body.dataset.done = String(Date.now());
}

function reportSection(file, result, k) {
  const row = result.summary;
  const buttons = el("span", { class: "buttons" },
    el("button", { type: "button", class: "button small", text: "逐句结果 CSV", "data-download": "units-csv",
      onclick: () => download(() => api("/v1/classify?format=csv", oneFile(file)), `${stem(file.name)}.csv`) }),
    " ",
    el("button", { type: "button", class: "button small", text: "HTML 报告", "data-download": "html",
      onclick: () => download(() => api("/v1/report", oneFile(file)), `${stem(file.name)}.html`) }));
  const facts = [row.body, LEVELS[row.level] || row.level, row.year && `${row.year} 年度`, `${row.units} 句`,
    `${row.chars} 字`].filter(Boolean).join(" · ");
  return el("section", { class: "report", "data-file": file.name, id: `r${k}` },
    el("div", { class: "report-head" }, el("h2", { text: file.name }), buttons),
    el("p", { class: "facts", text: facts }),
    el("div", { class: "overview" }, sharesTable(row), checklist(row)),
    reviewList(result.units, k),
    el("article", {}, ...unitBlocks(result.units, k)));
}

const stem = (name) => name.replace(/\.[^.]*$/, "") || "report";

async function download(request, name) {
  try { save(await (await request()).blob(), name); } catch (error) { fail(name, error.message); }
}

function sharesTable(row) {
  const body = el("tbody");
  for (const label of Object.keys(state.labels)) {
    const share = row[`${label}_unit_share`], adjusted = row[`${label}_adjusted`];
    const box = el("div", { class: "barbox" }, el("div", { class: `fill l-${cssName(label)}` }));
    box.firstChild.style.width = pct(share) || "0%";
    let note = pct(share);
    if (adjusted !== null && adjusted !== undefined) {
      const low = row[`${label}_adjusted_low`], high = row[`${label}_adjusted_high`];
      const ci = el("div", { class: "ci" }); ci.style.left = pct(low); ci.style.width = `${Math.max(0, 100 * (high - low))}%`;
      const dot = el("div", { class: "dot" }); dot.style.left = pct(adjusted);
      box.append(ci, dot);
      note += `（校正 ${pct(adjusted)}，${pct(low)}–${pct(high)}）`;
    }
    body.append(el("tr", {}, el("td", {}, el("span", { class: `tag l-${cssName(label)}`, text: labelName(label) })),
      el("td", { class: "track" }, box), el("td", { class: "num", text: note })));
  }
  return el("div", {}, el("h3", { text: "各类别占比（按句数）" }), el("table", { class: "shares" }, body));
}

function checklist(row) {
  const list = el("ul", { class: "checklist" });
  for (const [part, name] of Object.entries(state.parts)) {
    const present = row[`${part}_present`], heading = row[`${part}_heading`];
    const where = heading ? ` — 标题「${heading}」` : "";
    list.append(el("li", { class: present ? "ok" : "missing", "data-part": part },
      el("span", { class: "mark", text: present ? "✓" : "✗" }),
      el("b", { text: name }), `：${present ? "已具备" : "缺失"}，${row[`${part}_units`]} 句${where}`));
  }
  const signs = el("ul", { class: "signs-list" });
  for (const sign of (row.signs || "").split("; ").filter(Boolean)) signs.append(el("li", { text: signText(sign) }));
  return el("div", {}, el("h3", { text: "必备部分" }), list,
    signs.childElementCount ? el("h3", { text: "单薄报告迹象" }) : "", signs);
}

function signText(sign) {
  const rules = [[/^few shortcomings \((\d+)\)$/, (m) => `“存在的不足”句子偏少（${m[1]} 句）`],
    [/^shortcomings without detail$/, () => "不足之处均无数据、具体单位或事例"],
    [/^plans copied from shortcomings \((\d+)\)$/, (m) => `计划照搬不足（${m[1]} 句）`],
    [/^boilerplate \((\d+%)\)$/, (m) => `套话较多（${m[1]}）`]];
  for (const [pattern, text] of rules) { const m = sign.match(pattern); if (m) return text(m); }
  return sign;
}

function reviewList(units, k) {
  const low = units.filter((u) => u.confidence < state.low).sort((a, b) => a.confidence - b.confidence);
  if (!low.length) return el("p", { class: "note", text: `没有置信度低于 ${state.low.toFixed(2)} 的句子。` });
  const list = el("ol", { class: "review" });
  for (const u of low) {
    list.append(el("li", {}, el("a", { href: `#r${k}-u${u.index}`, text: u.text.length > 60 ? `${u.text.slice(0, 59)}…` : u.text }),
      " ", el("span", { class: `tag l-${cssName(u.label)}`, text: `${labelName(u.label)} ${u.confidence.toFixed(2)}` })));
  }
  return el("div", {}, el("h3", { text: `需复核：${low.length} 句置信度低于 ${state.low.toFixed(2)}` }), list);
}

function unitBlocks(units, k) {
  const blocks = [];
  let paragraph = null, previousEnd = null;
  for (const u of units) {
    const node = el(u.is_heading ? "h3" : "span", { id: `r${k}-u${u.index}`, "data-index": u.index, "data-label": u.label,
      class: `u l-${cssName(u.label)}${u.confidence < state.low ? " low" : ""}`,
      title: `${labelName(u.label)} ${u.label} · 置信度 ${u.confidence.toFixed(2)}`, text: u.text });
    if (u.is_heading) { blocks.push(node); paragraph = null; }
    else {
      if (!paragraph || u.start > previousEnd) { paragraph = el("p"); blocks.push(paragraph); }
      paragraph.append(node);
    }
    previousEnd = u.end;
  }
  return blocks;
}

function columns() {
  const cols = [["file", "文件", "text"], ["body", "发文机关", "text"], ["level", "层级", "text"], ["year", "年度", "num"],
    ["units", "句数", "num"]];
  for (const label of Object.keys(state.labels)) cols.push([`${label}_unit_share`, labelName(label), "share"]);
  return cols.concat([["parts", "必备部分", "parts"], ["boilerplate_share", "套话", "pct"], ["thin", "单薄", "bool"],
    ["signs", "迹象", "signs"]]);
}

function cellValue(row, key) {
  return key === "parts" ? Object.keys(PART_SHORT).filter((p) => row[`${p}_present`]).length : row[key];
}

function showBatch(rows) {
  state.rows = rows; state.sort = null;
  const head = el("tr");
  for (const [key, name, type] of columns()) {
    head.append(el("th", { text: name, "data-key": key, class: ["num", "share", "pct"].includes(type) ? "num" : "",
      onclick: () => sortBy(key) }));
  }
  $("#batch thead").replaceChildren(head);
  fillBatch();
  $("#batch-panel").hidden = false;
}

function fillBatch() {
  const body = $("#batch tbody");
  body.replaceChildren();
  for (const row of state.rows) {
    const tr = el("tr", { class: row.thin ? "thin" : "", "data-file": row.file });
    for (const [key, , type] of columns()) {
      const value = row[key];
      let text = value === null || value === undefined ? "" : String(value);
      if (type === "share") text = pct(value) + (row[key.replace("_unit_share", "_adjusted")] != null
        ? `（${pct(row[key.replace("_unit_share", "_adjusted")])}）` : "");
      if (type === "pct") text = pct(value);
      if (type === "bool") text = value ? "是" : "否";
      if (type === "signs") text = (value || "").split("; ").filter(Boolean).map(signText).join("；");
      if (key === "level") text = LEVELS[value] || text;
      if (type === "parts") text = Object.entries(PART_SHORT).map(([p, s]) => (row[`${p}_present`] ? s : "✗")).join(" ");
      tr.append(el("td", { text, class: type === "signs" ? "signs" : ["num", "share", "pct"].includes(type) ? "num" : "" }));
    }
    body.append(tr);
  }
}

function sortBy(key) {
  const descending = state.sort && state.sort.key === key && !state.sort.descending;
  state.sort = { key, descending };
  const compare = (a, b) => {
    const x = cellValue(a, key), y = cellValue(b, key);
    if (x === y) return 0;
    if (x === null || x === undefined || x === "") return 1;
    if (y === null || y === undefined || y === "") return -1;
    const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
    return descending ? -order : order;
  };
  state.rows = [...state.rows].sort(compare);
  for (const th of document.querySelectorAll("#batch th")) {
    if (th.dataset.key === key) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    else th.removeAttribute("aria-sort");
  }
  fillBatch();
}

function wire() {
  const drop = $("#drop");
  $("#files").addEventListener("change", (event) => run(Array.from(event.target.files)));
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault(); drop.classList.remove("over");
    run(Array.from(event.dataTransfer.files));
  });
  $("#classify-text").addEventListener("click", () => {
    const text = $("#text").value;
    if (!text.trim()) { fail("", "请先粘贴报告全文"); return; }
    run([new File([text], "粘贴的文本.txt", { type: "text/plain" })]);
  });
  $("#token-save").addEventListener("click", () => {
    state.token = $("#token").value.trim();
    sessionStorage.setItem("classifier-token", state.token);
    $("#token-box").hidden = true;
    showModel();
  });
  for (const button of document.querySelectorAll("[data-summary]")) {
    const format = button.dataset.summary;
    button.addEventListener("click", () => download(() => api(`/v1/summarize?format=${format}`, form(state.files)),
      `summary.${format}`));
  }
}

wire();
init().catch((error) => fail("", `页面初始化失败：${error.message}`));
