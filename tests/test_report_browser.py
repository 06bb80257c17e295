"""The HTML report in a real headless browser (Debian's chromium, driven by Playwright), network blocked."""

from __future__ import annotations

import os
import shutil

import pytest
from report_helpers import score_corpus

CHROMIUM = os.environ.get("STANCEKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run installs it)"
    ),
]

TEXT = (
    "Harbor Authority Reopens Port\n\n"
    "Governor Lena Ortiz reopened the port on Monday after a two-week closure. "
    "Senator Ravi Patel's reckless, self-serving stunt nearly wrecked the deal.\n\n"
    "The Harbor Authority said shipping would resume on Wednesday."
)


@pytest.fixture(scope="module")
def pages(default_analyzer, tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    article = folder / "article.html"
    default_analyzer.explain(TEXT, method="occlusion").to_html(article)
    corpus = folder / "corpus.html"
    import stancekit

    stancekit.report(score_corpus(default_analyzer, folder), corpus)
    return article, corpus


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _open(browser, path, *, javascript: bool = True):
    """A page with every network request refused and recorded, console errors recorded."""
    context = browser.new_context(offline=True, java_script_enabled=javascript)
    seen, errors = [], []

    def refuse(route):
        seen.append(route.request.url)
        if route.request.url.startswith("file://") and route.request.url.split("#")[0] == path.as_uri():
            route.continue_()
        else:
            route.abort()

    context.route("**/*", refuse)
    page = context.new_page()
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("requestfailed", lambda req: errors.append(f"request failed: {req.url}"))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return context, page, seen, errors


def test_article_in_browser(browser, pages):
    article, _ = pages
    context, page, seen, errors = _open(browser, article)
    try:
        assert seen == [article.as_uri()]  # the page itself, nothing else
        mention = page.locator("mark.m").first
        tip = mention.locator(".tip")
        assert not tip.is_visible()
        mention.hover()
        tip.wait_for(state="visible", timeout=2000)
        text = tip.inner_text()
        assert mention.get_attribute("data-label") in text and "held by" in text
        # tick "why?" on the editorial sentence: its explained words get a background
        sentence = page.locator("span.s").nth(2)
        word = sentence.locator(".w").first
        before = word.evaluate("e => getComputedStyle(e).backgroundColor")
        page.locator("label.why").nth(2).click()
        after = word.evaluate("e => getComputedStyle(e).backgroundColor")
        assert before == "rgba(0, 0, 0, 0)" and after != before
        # the script's "show all" button ticks every sentence
        page.locator("#explain-all").click()
        assert all(page.locator("input.xt").evaluate_all("els => els.map(e => e.checked)"))
        assert errors == []
        assert seen == [article.as_uri()]
    finally:
        context.close()


def test_article_without_javascript(browser, pages):
    article, _ = pages
    context, page, seen, errors = _open(browser, article, javascript=False)
    try:
        assert page.locator("span.s").count() == 4  # headline and three sentences
        assert not page.locator("#explain-all").is_visible()  # only the script shows it
        mention = page.locator("mark.m").first
        mention.hover()
        assert mention.locator(".tip").is_visible()  # tooltips are CSS
        word = page.locator("span.s").nth(2).locator(".w").first
        page.locator("label.why").nth(2).click()
        assert word.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
        assert errors == [] and seen == [article.as_uri()]
    finally:
        context.close()


def test_corpus_in_browser(browser, pages):
    _, corpus = pages
    context, page, seen, errors = _open(browser, corpus)
    try:
        assert page.locator("table.heat td.c").count() > 0
        page.locator("table.heat td.c a").first.click()
        assert page.evaluate("location.hash").startswith("#ex-")
        # sorting the top-actors table by mentions keeps every row
        rows = page.locator("table.top-actors tbody tr").count()
        page.locator("table.top-actors th", has_text="mentions").click()
        assert page.locator("table.top-actors tbody tr").count() == rows
        assert errors == []
        assert all(u.split("#")[0] == corpus.as_uri() for u in seen)
    finally:
        context.close()
