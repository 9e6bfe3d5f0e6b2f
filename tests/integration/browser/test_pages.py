"""The pages in a real browser: the seed article through `/`, errors, tags' evidence, `/docs`, accessibility."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests
import yaml

from tests.integration.browser.conftest import API_KEY, Browser, Server

ROOT = Path(__file__).resolve().parents[3]
SCREENSHOT = ROOT / "docs" / "screenshot.png"


def _api(server: Server, text: str, key: str | None = None) -> requests.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return requests.post(f"{server.url}/v1/analyze", json={"text": text}, headers=headers, timeout=60)


def _analyze(b: Browser, text: str, key: str = "") -> None:
    """Type into the page and submit with the keyboard alone: text, Tab to the key, Tab to the button, Enter."""
    page = b.page
    page.goto(b.base + "/")
    page.locator("#text").fill(text)
    page.locator("#text").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "api-key"
    if key:
        page.keyboard.type(key)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "analyze"
    page.keyboard.press("Enter")
    page.wait_for_function("() => /^(Done|Failed)/.test(document.getElementById('status').textContent)",
                           timeout=60_000)


def _marks(b: Browser) -> tuple[set[tuple[str, int, int]], list[list[Any]]]:
    """The highlighted spans, checked against the text they show."""
    found = b.page.evaluate("""() => [...document.querySelectorAll('#sentences mark')].map(m =>
        [m.dataset.field, +m.dataset.start, +m.dataset.end, m.textContent])""")
    return {(field, start, end) for field, start, end, _ in found}, found


def _codepoint_spans(spans: list[tuple[int, int]]) -> set[int]:
    return {i for start, end in spans for i in range(start, end)}


def test_seed_article(browser: Browser, server: Server, seed_article: str) -> None:
    _analyze(browser, seed_article)  # first: the screenshot shows real timings, not a cached document's
    expected = _api(server, seed_article).json()
    page = browser.page
    sentences = expected["translation"]["sentences"]
    assert len(sentences) == 17
    rows = page.locator("#sentences tbody tr")
    assert rows.count() == len(sentences)
    assert page.locator("#sentences td.source").all_text_contents() == [s["source"] for s in sentences]
    assert page.locator("#sentences td.translation").all_text_contents() == [s["target"] for s in sentences]
    # each row shows its sentence's score and flags as the API gives them
    shown = page.locator("#sentences td.quality").all_text_contents()
    assert shown == [" ".join([f"{s['score']:.2f}", *s["flags"]]) for s in sentences]
    chips = page.locator("#tags .chip")
    assert len(expected["tags"]) == 4
    assert [c.get_attribute("data-topic") for c in chips.all()] == [t["topic"] for t in expected["tags"]]
    for chip, tag in zip(chips.all(), expected["tags"], strict=True):
        assert chip.locator(".score").inner_text() == f"{tag['score']:.2f}"
        assert chip.inner_text().startswith(tag["label"])
    language = expected["language"]
    assert page.locator("#language").inner_text().startswith(language["code"])
    assert ("not reliable" in page.locator("#language").inner_text()) is (not language["reliable"])
    assert page.locator("#candidates li").count() == len(language["candidates"])
    assert page.locator("#timings dt").count() == len(expected["timings_ms"])
    assert page.locator("#layout-note").is_hidden()
    assert page.locator("#problem").is_hidden()
    # The screenshot in docs/: the first tag focused, its evidence highlighted.
    chips.first.focus()
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert browser.console_errors == []


def test_focus_and_hover_highlight_exactly_the_evidence(browser: Browser, server: Server, seed_article: str) -> None:
    expected = _api(server, seed_article).json()
    texts = {"source": seed_article, "translation": expected["translation"]["text"]}
    _analyze(browser, seed_article)
    chips = browser.page.locator("#tags .chip")
    for how in ("focus", "hover"):
        for i, tag in enumerate(expected["tags"]):
            browser.page.locator("#text").focus()  # nothing highlighted
            browser.page.mouse.move(0, 0)
            assert _marks(browser)[0] == set()
            getattr(chips.nth(i), how)()
            marks, shown = _marks(browser)
            for field, start, end, text in shown:  # each mark shows the slice its offsets name
                assert text == "".join(list(texts[field])[start:end])
            for field in ("source", "translation"):
                want = _codepoint_spans([(e["start"], e["end"]) for e in tag["evidence"] if e["field"] == field])
                got = _codepoint_spans([(s, e) for f, s, e in marks if f == field])
                assert got == want, (how, tag["topic"], field)
            assert marks, tag["topic"]
    assert browser.console_errors == []


def _problem_shown(b: Browser) -> tuple[str, str]:
    assert b.page.locator("#problem").is_visible()
    return b.page.locator("#problem-title").inner_text(), b.page.locator("#problem-detail").inner_text()


def test_empty_text_shows_the_422_problem(browser: Browser, server: Server) -> None:
    problem = _api(server, "").json()
    assert problem["status"] == 422
    _analyze(browser, "")
    assert _problem_shown(browser) == (problem["title"], problem["detail"])
    assert browser.page.locator("#result").is_hidden()
    assert browser.errors_except_status(422) == []


def test_too_large_body_shows_the_413_problem(browser: Browser, server: Server) -> None:
    text = "a" * (1024 * 1024 + 1)
    problem = _api(server, text).json()
    assert problem["status"] == 413
    _analyze(browser, text)
    assert _problem_shown(browser) == (problem["title"], problem["detail"])
    assert browser.errors_except_status(413) == []


def test_key_required_shows_the_401_problem_then_works_with_the_key(keyed_browser: Browser,
                                                                    keyed_server: Server) -> None:
    problem = _api(keyed_server, "Um texto curto em português.").json()
    assert problem["status"] == 401
    _analyze(keyed_browser, "Um texto curto em português.")
    assert _problem_shown(keyed_browser) == (problem["title"], problem["detail"])
    _analyze(keyed_browser, "Um texto curto em português.", key=API_KEY)
    assert keyed_browser.page.locator("#problem").is_hidden()
    assert keyed_browser.page.locator("#sentences tbody tr").count() == 1
    assert keyed_browser.page.evaluate("JSON.stringify(localStorage) + JSON.stringify(sessionStorage)") == "{}{}"
    assert keyed_browser.errors_except_status(401) == []


def _operations(server: Server) -> list[tuple[str, str]]:
    spec = yaml.safe_load(requests.get(f"{server.url}/openapi.yaml", timeout=10).text)
    return [(method.upper(), path) for path, item in spec["paths"].items() for method in item
            if method in {"get", "post", "put", "patch", "delete"}]


def test_docs_render_every_operation_and_try_it_out_with_a_key(keyed_browser: Browser,
                                                                keyed_server: Server) -> None:
    page = keyed_browser.page
    body = {"text": "A Meta acaba de anunciar seu mais recente modelo de linguagem de código aberto."}
    page.goto(keyed_browser.base + "/docs")
    page.wait_for_selector(".opblock", timeout=30_000)
    shown = page.evaluate("""() => [...document.querySelectorAll('.opblock')].map(o =>
        [o.querySelector('.opblock-summary-method').textContent.trim(),
         o.querySelector('.opblock-summary-path').getAttribute('data-path')])""")
    assert sorted(map(tuple, shown)) == sorted(_operations(keyed_server))
    # "Try it out" goes to this server (first in the list), with the key given through Authorize.
    assert page.locator(".servers select option").first.get_attribute("value") == keyed_server.url
    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".modal-ux input[type=text], .modal-ux input[type=password]").first.fill(API_KEY)
    page.locator(".modal-ux button.authorize").click()
    page.locator(".modal-ux button.btn-done").click()
    block = page.locator("#operations-analysis-detect")
    block.locator(".opblock-summary-control").click()
    block.get_by_role("button", name="Try it out").click()
    block.locator("textarea.body-param__text").fill(json.dumps(body))
    with page.expect_request("**/v1/detect") as sent:
        block.get_by_role("button", name="Execute").click()
    assert sent.value.headers["authorization"] == f"Bearer {API_KEY}"
    status = block.locator(".live-responses-table .response .response-col_status").first
    status.wait_for(timeout=30_000)
    assert status.inner_text().strip() == "200"
    shown = block.locator(".live-responses-table .response-col_description pre").first.inner_text()
    expected = requests.post(f"{keyed_server.url}/v1/detect", json=body, timeout=10,
                             headers={"Authorization": f"Bearer {API_KEY}"}).json()
    assert json.loads(shown) == expected
    assert page.evaluate("JSON.stringify(localStorage)") == "{}"
    assert keyed_browser.console_errors == []


def test_docs_without_a_key_get_the_401_problem(keyed_browser: Browser) -> None:
    page = keyed_browser.page
    page.goto(keyed_browser.base + "/docs")
    block = page.locator("#operations-analysis-detect")
    block.locator(".opblock-summary-control").click()
    block.get_by_role("button", name="Try it out").click()
    block.get_by_role("button", name="Execute").click()
    status = block.locator(".live-responses-table .response .response-col_status").first
    status.wait_for(timeout=30_000)
    assert status.inner_text().strip() == "401"
    assert keyed_browser.errors_except_status(401) == []


def _serious(violations: list[dict[str, Any]]) -> list[tuple[str, str, int, list[str]]]:
    return [(v["id"], v["impact"], len(v["nodes"]), [str(n["target"]) + " " + n["html"][:120] for n in v["nodes"]])
            for v in violations]


def test_accessibility_of_the_try_page(a11y_browser: Browser, seed_article: str) -> None:
    browser = a11y_browser
    browser.page.goto(browser.base + "/")
    assert _serious(browser.axe()) == []
    _analyze(browser, seed_article)
    browser.page.locator("#tags .chip").first.focus()
    assert _serious(browser.axe()) == []
    assert browser.console_errors == []


def test_accessibility_of_the_docs(a11y_browser: Browser, tmp_path: Path) -> None:
    browser = a11y_browser
    browser.page.goto(browser.base + "/docs")
    browser.page.wait_for_selector(".opblock", timeout=30_000)
    assert _serious(browser.axe()) == []
    block = browser.page.locator("#operations-analysis-analyze")  # an operation opened, in "try it out"
    block.locator(".opblock-summary-control").click()
    block.get_by_role("button", name="Try it out").click()
    browser.page.screenshot(path=str(tmp_path / "docs.png"), full_page=False)  # kept by pytest for a look
    assert _serious(browser.axe()) == []
    assert browser.console_errors == []


def test_phone_layout_fits_the_screen(phone: Browser, seed_article: str, tmp_path: Path) -> None:
    _analyze(phone, seed_article)
    phone.page.locator("#tags .chip").nth(1).focus()
    phone.page.screenshot(path=str(tmp_path / "phone.png"))  # kept by pytest for a look
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert phone.page.locator("#sentences tbody tr").count() == 17
    assert phone.console_errors == []
