// The "try it" page: POST /v1/analyze and show the answer. Offsets in the API are Python string indices
// (code points); this file works in code points too, so text outside the BMP (emoji) stays aligned.

const $ = (id) => document.getElementById(id);
const form = $("analyze-form");
const textArea = $("text");
const keyInput = $("api-key"); // its value lives in this page only: never written to any storage
const button = $("analyze");
const statusLine = $("status");

let current = null; // {columns: {source: Column, translation: Column}, tags}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

// Where each piece sits in text, in code points. The API guarantees the layout: source sentences are
// exact slices of the text in order, separated by whitespace only; the English text is the stripped
// targets joined by spaces and line breaks (empty targets left out). This walks that layout and checks
// it; it never searches. null when the text does not have that layout.
export function layoutSpans(text, pieces) {
  const chars = Array.from(text);
  const spans = [];
  let pos = 0;
  for (const piece of pieces) {
    const want = Array.from(piece.trim());
    if (want.length === 0) { spans.push([pos, pos]); continue; }
    while (pos < chars.length && /\s/u.test(chars[pos])) pos += 1;
    for (let k = 0; k < want.length; k += 1) {
      if (chars[pos + k] !== want[k]) return null;
    }
    spans.push([pos, pos + want.length]);
    pos += want.length;
  }
  return spans;
}

// Overlapping or touching [start, end) intervals merged, sorted.
export function mergeSpans(spans) {
  const sorted = spans.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

function fillCell(cell, chars, [rowStart, rowEnd], field, marks) {
  cell.replaceChildren();
  let pos = rowStart;
  for (const [s, e] of marks) {
    const from = Math.max(s, rowStart);
    const to = Math.min(e, rowEnd);
    if (to <= from) continue;
    if (from > pos) cell.append(chars.slice(pos, from).join(""));
    cell.append(el("mark", { "data-field": field, "data-start": String(from), "data-end": String(to) },
      chars.slice(from, to).join("")));
    pos = to;
  }
  if (rowEnd > pos) cell.append(chars.slice(pos, rowEnd).join(""));
}

function highlight(tagIndex) {
  if (!current) return;
  const tag = tagIndex === null ? null : current.tags[tagIndex];
  for (const [field, column] of Object.entries(current.columns)) {
    if (!column.spans) continue;
    const marks = tag ? mergeSpans(tag.evidence.filter((ev) => ev.field === field).map((ev) => [ev.start, ev.end])) : [];
    column.spans.forEach((span, i) => fillCell(column.cells[i], column.chars, span, field, marks));
  }
  document.querySelectorAll("#tags .chip").forEach((chip, i) => chip.classList.toggle("active", i === tagIndex));
}

function showProblem(title, detail, errors = []) {
  $("problem-title").textContent = title;
  $("problem-detail").textContent = detail || "";
  $("problem-errors").replaceChildren(...errors.map((e) => el("li", {}, `${e.pointer ?? ""} ${e.detail ?? ""}`.trim())));
  $("problem").hidden = false;
}

const pct = (p) => `${(p * 100).toFixed(1)}%`;

function showLanguage(language) {
  const reliable = el("span", { class: `badge ${language.reliable ? "yes" : "no"}` },
    language.reliable ? "reliable" : "not reliable");
  $("language").replaceChildren(el("strong", {}, language.code), ` ${pct(language.confidence)} (${language.method}) `, reliable);
  $("candidates").replaceChildren(...language.candidates.map((c) => el("li", {}, `${c.code}: ${pct(c.probability)}`)));
  $("source-heading").textContent = `Source (${language.code})`;
}

function showTimings(timings) {
  const names = { detect: "detection", translate: "translation", tag: "tagging", total: "total" };
  $("timings").replaceChildren(...Object.entries(timings).flatMap(([stage, ms]) =>
    [el("dt", {}, names[stage] ?? stage), el("dd", {}, `${ms.toFixed(1)} ms`)]));
}

function showTags(tags) {
  const chips = tags.map((tag, i) => {
    const chip = el("button", { type: "button", class: "chip", "data-topic": tag.topic },
      tag.label, " ", el("span", { class: "score" }, tag.score.toFixed(2)),
      el("span", { class: "visually-hidden" }, `, ${tag.evidence.length} evidence spans`));
    chip.addEventListener("mouseenter", () => highlight(i));
    chip.addEventListener("focus", () => highlight(i));
    chip.addEventListener("mouseleave", () => highlight(document.activeElement?.classList.contains("chip")
      ? Number(document.activeElement.dataset.index) : null));
    chip.addEventListener("blur", () => highlight(null));
    chip.dataset.index = String(i);
    return el("li", {}, chip);
  });
  $("tags").replaceChildren(...(chips.length ? chips : [el("li", { class: "hint" }, "no tag")]));
}

// The model's score (mean log-probability per token: 0 is sure) and the quality flags of one sentence.
function qualityCell(pair) {
  const cell = el("td", { "data-label": "Quality", class: "quality" });
  if (typeof pair.score === "number") cell.append(el("span", { class: "score" }, pair.score.toFixed(2)));
  for (const flag of pair.flags ?? []) {
    cell.append(" ", el("span", { class: flag === "repaired" ? "flag repaired" : "flag" }, flag));
  }
  if ((pair.flags ?? []).some((flag) => flag !== "repaired")) cell.classList.add("flagged");
  return cell;
}

function showRows(sourceText, result) {
  const translation = result.translation;
  // English input is not translated: one row holds the whole text on both sides.
  const pairs = translation.sentences.length ? translation.sentences
    : [{ source: sourceText, target: translation.text }];
  const tbody = document.querySelector("#sentences tbody");
  const sourceCells = [];
  const targetCells = [];
  tbody.replaceChildren(...pairs.map((pair, i) => {
    const src = el("td", { "data-label": "Source", class: "source" }, pair.source);
    const dst = el("td", { "data-label": "English", class: "translation" }, pair.target);
    if (!translation.translated) dst.classList.add("untranslated");
    sourceCells.push(src);
    targetCells.push(dst);
    return el("tr", {}, el("td", { "data-label": "Sentence" }, String(i + 1)), src, dst, qualityCell(pair));
  }));
  const column = (text, pieces, cells) => ({ chars: Array.from(text), spans: layoutSpans(text, pieces), cells });
  const columns = {
    // evidence offsets index the visible texts (equal to the texts for plain text)
    source: column(translation.source_visible_text ?? sourceText, pairs.map((p) => p.source), sourceCells),
    translation: column(translation.visible_text ?? translation.text, pairs.map((p) => p.target), targetCells),
  };
  const note = $("layout-note");
  const unplaced = Object.entries(columns).filter(([, c]) => !c.spans).map(([f]) => f);
  note.hidden = unplaced.length === 0;
  note.textContent = unplaced.length ? `Evidence cannot be shown in: ${unplaced.join(", ")} (unexpected text layout).` : "";
  current = { columns, tags: result.tags };
}

async function analyze(event) {
  event.preventDefault();
  const text = textArea.value;
  $("problem").hidden = true;
  button.disabled = true;
  statusLine.textContent = "Analyzing…";
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  if (keyInput.value.trim()) headers.Authorization = `Bearer ${keyInput.value.trim()}`;
  try {
    const response = await fetch("/v1/analyze", { method: "POST", headers, body: JSON.stringify({ text }) });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      if (type.includes("json")) {
        const problem = await response.json();
        showProblem(problem.title ?? `HTTP ${response.status}`, problem.detail, problem.errors ?? []);
      } else {
        showProblem(`HTTP ${response.status} ${response.statusText}`, "The server answered without a problem document.");
      }
      statusLine.textContent = `Failed: ${response.status}.`;
      return;
    }
    const result = await response.json();
    current = null;
    showLanguage(result.language);
    showTimings(result.timings_ms);
    showTags(result.tags);
    showRows(text, result);
    $("result").hidden = false;
    statusLine.textContent = `Done: ${result.translation.sentences.length} sentences, ${result.tags.length} tags.`;
  } catch (error) {
    showProblem("The service could not be reached", String(error));
    statusLine.textContent = "Failed.";
  } finally {
    button.disabled = false;
  }
}

form.addEventListener("submit", analyze);
