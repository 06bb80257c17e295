"""The corpus view: group x actor heatmap with intervals, editorial share over time, top actors, examples."""

from __future__ import annotations

from stancekit.reporting.corpus_data import (
    ALL,
    EXAMPLES_PER_ACTOR,
    MAX_GROUPS,
    MAX_HEAT_ACTORS,
    MAX_PERIODS,
    MAX_TOP_ACTORS,
    CorpusSummary,
)
from stancekit.reporting.page import diverging, esc, page, score_bar


def _anchor(k: int) -> str:
    return f"ex-{k}"


def _heatmap(s: CorpusSummary, anchors: dict[str, str]) -> str:
    if not s.heat_actors:
        return '<p class="note">No actor stances in this corpus.</p>'
    head = "".join(f'<th class="c">{esc(a)}</th>' for a in s.heat_actors)
    rows = []
    for g in s.groups:
        cells = []
        for a in s.heat_actors:
            c = s.cells.get((g, a))
            if c is None:
                cells.append('<td class="c empty" title="no mentions">&ndash;</td>')
                continue
            ci = f" [{c.low:+.2f}, {c.high:+.2f}]" if c.low is not None else " (one document: no interval)"
            title = f"{g} / {a}: mean {c.mean:+.2f}{ci}; {c.mentions} mentions in {c.documents} documents"
            link = anchors.get(a)
            value = f"{c.mean:+.2f}<br>{score_bar(c.mean, c.low, c.high, width=64)}"
            inner = f'<a href="#{link}">{value}</a>' if link else value
            cells.append(f'<td class="c" style="{diverging(c.mean)}" title="{esc(title)}">{inner}</td>')
        rows.append(f"<tr><th>{esc(g)}</th>{''.join(cells)}</tr>")
    corner = esc(s.group_by or "group")
    table = f'<table class="heat"><thead><tr><th>{corner}</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    return f'<div class="scroll">{table}</div>'


def _editorial(s: CorpusSummary) -> str:
    head = "".join(f'<th class="n">{esc(p)}</th>' for p in s.periods)
    rows = []
    for g in s.groups:
        cells = []
        for p in s.periods:
            v = s.editorial.get((g, p))
            if v is None:
                cells.append('<td class="n">&ndash;</td>')
                continue
            share, n = v
            cells.append(
                f'<td class="n" style="background:rgba(240,228,66,{0.1 + 0.8 * share:.2f})" '
                f'title="{esc(g)}, {esc(p)}: {share:.1%} of {n} sentences">{share:.0%}</td>'
            )
        rows.append(f"<tr><th>{esc(g)}</th>{''.join(cells)}</tr>")
    label = esc(s.group_by or "group")
    return (
        f'<div class="scroll"><table class="editorial"><thead><tr><th>{label}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _top_actors(s: CorpusSummary, anchors: dict[str, str]) -> str:
    hk = s.holder_kinds
    head = (
        '<tr><th data-sort="text">actor</th><th data-sort="text">kind</th><th class="n" data-sort="num">documents</th>'
        '<th class="n" data-sort="num">mentions</th><th class="n" data-sort="num">negative</th>'
        '<th class="n" data-sort="num">neutral</th><th class="n" data-sort="num">positive</th>'
        '<th class="n" data-sort="num">mean P(pos)&minus;P(neg)</th>'
        + ('<th class="n" data-sort="num">by author</th><th class="n" data-sort="num">by sources</th>' if hk else "")
        + "</tr>"
    )
    rows = []
    for t in s.top_actors:
        sh = t["shares"]
        split = ""
        if hk:
            for key in ("author", "source"):
                n, m = t.get(key, (0, 0.0))
                split += f'<td class="n" data-v="{n}">{n}' + (f" ({m:+.2f})" if n else "") + "</td>"
        name = esc(t["actor"])
        link = anchors.get(t["actor"])
        cell = f'<a href="#{link}">{name}</a>' if link else name
        rows.append(
            f"<tr><td>{cell}</td><td>{esc(t['kind'])}</td>"
            f'<td class="n">{t["documents"]}</td><td class="n">{t["mentions"]}</td>'
            f'<td class="n" data-v="{sh["negative"]}">{sh["negative"]:.0%}</td>'
            f'<td class="n" data-v="{sh["neutral"]}">{sh["neutral"]:.0%}</td>'
            f'<td class="n" data-v="{sh["positive"]}">{sh["positive"]:.0%}</td>'
            f'<td class="n" data-v="{t["mean_score"]}">{t["mean_score"]:+.2f} {score_bar(t["mean_score"])}</td>'
            f"{split}</tr>"
        )
    return (
        f'<div class="scroll"><table class="sortable top-actors"><thead>{head}</thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _examples(s: CorpusSummary, anchors: dict[str, str]) -> str:
    parts = []
    for t in s.top_actors:
        rows = s.examples.get(t["actor"], [])
        if not rows:
            continue
        items = "".join(
            f'<li><span class="lab {esc(r["label"])}">{esc(r["label"])}</span> {r["p"]:.2f}'
            + (f" (held by {esc(r['holder_kind'])})" if r["holder_kind"] else "")
            + f' &middot; <span class="note">{esc(r["doc_id"])}, sentence {r["sentence"] + 1}</span><br>'
            f"{esc(r['text'][:400])}{'&hellip;' if len(r['text']) > 400 else ''}</li>"
            for r in rows
        )
        parts.append(f'<h3 id="{anchors[t["actor"]]}">{esc(t["actor"])}</h3><ul class="ex">{items}</ul>')
    return "".join(parts) or '<p class="note">No examples.</p>'


def _caps(s: CorpusSummary) -> str:
    notes = []
    if s.groups_total > len(s.groups):
        notes.append(f"the {len(s.groups)} largest of {s.groups_total} groups (cap {MAX_GROUPS})")
    if s.actors_total > len(s.heat_actors):
        notes.append(
            f"the heatmap's {len(s.heat_actors)} most-mentioned of {s.actors_total} actors (cap {MAX_HEAT_ACTORS})"
        )
    if s.actors_total > len(s.top_actors):
        notes.append(f"the top {len(s.top_actors)} actors in the table (cap {MAX_TOP_ACTORS})")
    if s.periods_total > len(s.periods):
        notes.append(f"the last {len(s.periods)} of {s.periods_total} months (cap {MAX_PERIODS})")
    text = (
        f"Lists are capped so the page stays light whatever the corpus size; {EXAMPLES_PER_ACTOR} examples per actor."
    )
    if notes:
        text += " This page shows " + "; ".join(notes) + "."
    return f'<p class="note caps">{text}</p>'


def corpus_body(s: CorpusSummary, *, title: str | None = None) -> str:
    anchors = {t["actor"]: _anchor(k) for k, t in enumerate(s.top_actors) if s.examples.get(t["actor"])}
    title = title or f"Corpus report: {s.folder}"
    grouping = f"grouped by <b>{esc(s.group_by)}</b>" if s.group_by else f"one group ({ALL}: no outlet column found)"
    when = f"over <b>{esc(s.date_column)}</b> by month" if s.date_column else "(no date column: one period)"
    meta = f"{s.documents} documents, {s.sentences} sentences, {s.stances} actor stances"
    if s.model:
        meta += f"; model {esc(s.model.replace(chr(92), '/').rstrip('/').rsplit('/', 1)[-1])}"
    return (
        f'<div class="sk"><h1>{esc(title)}</h1><p class="meta">{meta}</p>{_caps(s)}'
        f"<h2>Mean stance by {esc(s.group_by or 'group')} and actor</h2>"
        f'<p class="note">Cell: mean P(positive) &minus; P(negative) over mentions, blue positive, orange negative, '
        f"with its 95% interval as a bar. Source: {esc(s.cells_from)}. Click a cell for example sentences.</p>"
        f"{_heatmap(s, anchors)}"
        f'<h2>Editorial share of sentences</h2><p class="note">{grouping}, {when}.</p>{_editorial(s)}'
        f"<h2>Top actors</h2>{_top_actors(s, anchors)}"
        f"<h2>Example sentences</h2>{_examples(s, anchors)}</div>"
    )


def corpus_html(s: CorpusSummary, *, title: str | None = None) -> str:
    return page(title or f"stancekit corpus report: {s.folder}", corpus_body(s, title=title))
