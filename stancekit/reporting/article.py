"""The article view: sentences shaded by P(editorial), mentions underlined in their stance colour.

Everything is static HTML and CSS (tooltips on hover or keyboard focus, explanation toggles as
checkboxes), so the page reads the same with JavaScript off.
"""

from __future__ import annotations

import re

from stancekit.reporting.page import LEGEND_STANCE, esc, page, score_bar

#: Strongest editorial sentences listed under the article.
TOP_EDITORIAL = 5
#: Words whose weight is below this share of the sentence's largest are not highlighted.
MIN_SHARE = 0.08
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n")


def _editorial_alpha(score: float) -> float:
    return round(0.08 + 0.62 * score, 3) if score >= 0.5 else round(0.55 * score * score, 3)


def _top(weights, k: int = 3) -> list:
    return sorted((w for w in weights or () if w.weight > 0), key=lambda w: -w.weight)[:k]


def _tip(st) -> str:
    p = st.scores.get(st.label, 0.0)
    holder = "the author" if st.holder_kind == "author" else f"source: {esc(st.holder)}"
    parts = [
        f"<b>{esc(st.actor)}</b> ({esc(st.actor_kind)})",
        f'<span class="lab {esc(st.label)}">{esc(st.label)}</span> {p:.2f}',
        f"held by {holder}",
    ]
    if st.resolved != "name":
        parts.append(f"found by {esc(st.resolved)}")
    why = _top(st.attributions)
    if why:
        parts.append("why: " + ", ".join(esc(w.token) for w in why))
    return '<span class="tip" role="tooltip">' + " · ".join(parts) + "</span>"


def _word_marks(sentence) -> list[tuple[int, int, str]]:
    """(start, end, opening tag) for words of the editorial explanation, signed toward 'editorial'."""
    weights = sentence.editorial_attributions or []
    sign = 1.0 if sentence.editorial else -1.0
    peak = max((abs(w.weight) for w in weights), default=0.0)
    if peak <= 0:
        return []
    out = []
    for w in weights:
        share = sign * w.weight / peak
        if abs(share) < MIN_SHARE:
            continue
        kind = "toward" if share > 0 else "away"
        out.append(
            (w.start, w.end, f'<span class="w {kind}" style="--a:{abs(share) * 0.75:.2f}" data-w="{w.weight:.4f}">')
        )
    return out


def _render_sentence_text(doc_text: str, sentence) -> tuple[str, list]:
    """The sentence's HTML (mentions and explanation words marked) and the stances not drawn inline."""
    mentions, skipped, last = [], [], -1
    for k, st in enumerate(sorted(sentence.stances, key=lambda st: (st.start, -st.end))):
        if st.start < last or st.start < sentence.start or st.end > sentence.end:
            skipped.append(st)
            continue
        mentions.append((k, st))
        last = st.end
    words = _word_marks(sentence)
    # boundaries: mentions are outer, words inner (a word crossing a mention edge is cut there)
    out, pos = [], sentence.start

    def text_with_words(a: int, b: int) -> str:
        parts, p = [], a
        for ws, we, tag in words:
            ws, we = max(ws, a), min(we, b)
            if we <= ws or ws < p:
                continue
            parts.append(esc(doc_text[p:ws]))
            parts.append(tag + esc(doc_text[ws:we]) + "</span>")
            p = we
        parts.append(esc(doc_text[p:b]))
        return "".join(parts)

    for _, st in mentions:
        out.append(text_with_words(pos, st.start))
        out.append(
            f'<mark class="m {esc(st.label)}" tabindex="0" data-actor="{esc(st.actor)}" data-label="{esc(st.label)}" '
            f'data-holder="{esc(st.holder)}">{text_with_words(st.start, st.end)}{_tip(st)}</mark>'
        )
        pos = st.end
    out.append(text_with_words(pos, sentence.end))
    return "".join(out), skipped


def _sentence(doc_text: str, s, prefix: str) -> str:
    inner, skipped = _render_sentence_text(doc_text, s)
    verdict = "editorial" if s.editorial else "reporting"
    title = f"sentence {s.index + 1}: P(editorial) {s.editorial_score:.2f} ({verdict})"
    for a in s.attributions:
        title += f"; {a.kind.replace('_', ' ')} speech of {a.source}"
    sid = f"{prefix}s-{s.index}"
    html = ""
    has_words = bool(s.editorial_attributions)
    if has_words:
        html += (
            f'<input type="checkbox" class="xt" id="{prefix}xt-{s.index}" aria-label="explain sentence {s.index + 1}">'
        )
    html += (
        f'<span class="s" id="{sid}" data-editorial="{s.editorial_score:.4f}" title="{esc(title)}" '
        f'style="background:rgba(240,228,66,{_editorial_alpha(s.editorial_score)})">{inner}</span>'
    )
    if has_words:
        html += f'<label class="why" for="{prefix}xt-{s.index}" title="words behind the editorial score">why?</label>'
    if skipped:
        html += " " + " ".join(
            f'<mark class="m {esc(st.label)}" tabindex="0" data-actor="{esc(st.actor)}">[{esc(st.mention)}]'
            f"{_tip(st)}</mark>"
            for st in skipped
        )
    return html


def _paragraphs(doc) -> list[list]:
    paras: list[list] = []
    prev_end = None
    for s in doc.sentences:
        if prev_end is None or _PARAGRAPH.search(doc.text, prev_end, s.start):
            paras.append([])
        paras[-1].append(s)
        prev_end = s.end
    return paras


def _actor_table(doc) -> str:
    if not doc.actors:
        return '<p class="note">No actors found.</p>'
    rows = []
    for a in sorted(doc.actors, key=lambda a: (-a.mentions, a.name)):
        c = a.counts
        author = a.by_holder.get("author", {})
        source = a.by_holder.get("source", {})

        def split(d):
            if not d or not d.get("mentions"):
                return '<td class="n" data-v="0">0</td>'
            return f'<td class="n" data-v="{d["mentions"]}">{d["mentions"]} ({d["mean_score"]:+.2f})</td>'

        rows.append(
            f"<tr><td>{esc(a.name)}</td><td>{esc(a.kind)}</td>"
            f'<td class="n">{a.mentions}</td><td class="n">{c.get("negative", 0)}</td>'
            f'<td class="n">{c.get("neutral", 0)}</td><td class="n">{c.get("positive", 0)}</td>'
            f'<td class="n" data-v="{a.mean_score}">{a.mean_score:+.2f} {score_bar(a.mean_score)}</td>'
            f"{split(author)}{split(source)}</tr>"
        )
    head = (
        '<tr><th data-sort="text">actor</th><th data-sort="text">kind</th><th class="n" data-sort="num">mentions</th>'
        '<th class="n" data-sort="num">negative</th><th class="n" data-sort="num">neutral</th>'
        '<th class="n" data-sort="num">positive</th><th class="n" data-sort="num">mean P(pos)&minus;P(neg)</th>'
        '<th class="n" data-sort="num">held by author</th><th class="n" data-sort="num">held by sources</th></tr>'
    )
    body = "".join(rows)
    table = f'<table class="sortable actors"><thead>{head}</thead><tbody>{body}</tbody></table>'
    return f'<div class="scroll">{table}</div>'


def _strongest(doc, prefix: str) -> str:
    top = sorted((s for s in doc.sentences if s.editorial), key=lambda s: -s.editorial_score)[:TOP_EDITORIAL]
    if not top:
        return '<p class="note">No sentence reads as editorial (P(editorial) &ge; 0.5).</p>'
    items = []
    for s in top:
        why = _top(s.editorial_attributions, 5)
        extra = f' <span class="note">words: {", ".join(esc(w.token) for w in why)}</span>' if why else ""
        items.append(
            f'<li><a href="#{prefix}s-{s.index}">sentence {s.index + 1}</a> ({s.editorial_score:.2f}): '
            f"{esc(s.text)}{extra}</li>"
        )
    return f'<ol class="top">{"".join(items)}</ol>'


def article_body(doc, *, title: str | None = None, prefix: str = "") -> str:
    """The article view as an HTML fragment (wrapped in ``<div class="sk">``)."""
    title = title or doc.id or _first_line(doc.text) or "article"
    n_ed = sum(s.editorial for s in doc.sentences)
    n_st = sum(len(s.stances) for s in doc.sentences)
    explained = any(s.editorial_attributions for s in doc.sentences)
    meta = f"{len(doc.sentences)} sentences, {n_ed} editorial; {n_st} actor mentions"
    if doc.model:
        meta += f"; model {esc(doc.model)}"
    if doc.language:
        meta += f"; language {esc(doc.language)}"
    legend = (
        '<div class="legend"><span><span class="sw" style="background:rgba(240,228,66,0.7)"></span>'
        "editorial sentence (shade = P(editorial))</span>" + LEGEND_STANCE
    )
    if explained:
        legend += (
            '<span><span class="sw" style="background:rgba(204,121,167,.6)"></span>word pushes toward editorial</span>'
            '<span><span class="sw" style="background:rgba(0,158,115,.6)"></span>word pushes toward reporting</span>'
        )
    legend += "</div>"
    help_text = "Hover over or tab to an underlined name for its stance, probability and holder."
    if explained:
        help_text += ' Tick "why?" after a sentence to highlight the words behind its editorial score.'
    paras = "".join(
        "<p>" + " ".join(_sentence(doc.text, s, prefix) for s in para) + "</p>" for para in _paragraphs(doc)
    )
    button = '<p><button type="button" id="explain-all" hidden>show all explanations</button></p>' if explained else ""
    return (
        f'<div class="sk"><h1>{esc(title)}</h1><p class="meta">{meta}</p>{legend}'
        f'<p class="note">{help_text}</p>{button}<article>{paras}</article>'
        f"<h2>Actors</h2>{_actor_table(doc)}"
        f"<h2>Strongest editorial sentences</h2>{_strongest(doc, prefix)}</div>"
    )


def _first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0].strip()
    return line[:120]


def article_html(doc, *, title: str | None = None) -> str:
    """The article view as one self-contained HTML page."""
    title = title or doc.id or _first_line(doc.text) or "article"
    return page(f"stancekit: {title}", article_body(doc, title=title))


def article_fragment(doc) -> str:
    """The article view for a notebook cell: scoped CSS inline, no script (it needs none)."""
    from stancekit.reporting.page import asset

    css = "\n".join(line for line in asset("report.css").splitlines() if not line.startswith(("body", "       max")))
    return f"<style>{css}</style>{article_body(doc, prefix='sk-' + str(id(doc)) + '-')}"
