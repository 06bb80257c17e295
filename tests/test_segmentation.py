import pytest

from stancekit.text.segmentation import MAX_SENTENCE_CHARS, Segmenter


@pytest.fixture(scope="module")
def seg():
    return Segmenter()


def _roundtrip(text, result):
    for s in result.sentences:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    for e in result.entities:
        assert text[e.start : e.end] == e.text


def test_sentences_have_offsets_into_the_original(seg):
    text = "  The minister resigned on Monday.\n\nCritics said it was overdue.  Angela Merkel agreed. "
    r = seg.segment(text)
    assert [s.text for s in r.sentences] == [
        "The minister resigned on Monday.",
        "Critics said it was overdue.",
        "Angela Merkel agreed.",
    ]
    _roundtrip(text, r)


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \n"])
def test_empty_and_whitespace_give_no_sentences(seg, text):
    r = seg.segment(text)
    assert r.sentences == [] and r.entities == []


def test_non_ascii_offsets(seg):
    text = "François Hollande a rencontré Zoë à Zürich. 北京 responded — “angrily”, said Øystein Sørensen 🙂."
    r = seg.segment(text)
    assert r.sentences
    _roundtrip(text, r)


def test_very_long_text_and_very_long_sentences(seg):
    para = "Officials in Berlin said the talks with Paris would continue next week. " * 40
    text = (para + "\n\n") * 40 + "word " * 5000  # ~120k chars and one 25k-char run-on sentence
    r = seg.segment(text)
    _roundtrip(text, r)
    assert len(r.sentences) > 1500
    assert max(len(s.text) for s in r.sentences) <= MAX_SENTENCE_CHARS
    # the run-on tail is kept, cut into pieces, not dropped
    assert sum(len(s.text) for s in r.sentences if s.text.startswith("word")) > 20_000


def test_segment_many_keeps_order_and_count(seg):
    texts = ["One. Two.", "", "Three here.", "   ", "Four. Five. Six."]
    out = list(seg.segment_many(texts))
    assert [len(o.sentences) for o in out] == [2, 0, 1, 0, 3]


def test_a_blank_line_always_ends_a_sentence(seg):
    text = "Leaders Clash Over Grain Corridor\n\nISTANBUL — Talks ended on Thursday.\n \nA second paragraph."
    r = seg.segment(text)
    assert [s.text for s in r.sentences] == [
        "Leaders Clash Over Grain Corridor",
        "ISTANBUL — Talks ended on Thursday.",
        "A second paragraph.",
    ]
    _roundtrip(text, r)


def test_stray_closing_quote_stays_with_its_sentence(seg):
    text = 'Peskov told reporters that Moscow had "shown more than enough patience." Sybiha disagreed.'
    r = seg.segment(text)
    assert all(any(c.isalnum() for c in s.text) for s in r.sentences)
    assert r.sentences[0].text.endswith('patience."')
    _roundtrip(text, r)


@pytest.mark.parametrize("batch_chars", [1, 40, 1_000_000])
def test_segment_many_does_not_depend_on_the_batch_budget(seg, batch_chars):
    long_doc = ("Officials in Berlin said the talks would continue. " * 30 + "\n\n") * 40  # several pieces
    texts = ["One. Two.", "", long_doc, "Angela Merkel met Emmanuel Macron in Paris.", "   ", "Four. Five."]
    reference = [seg.segment(t) for t in texts]
    assert list(seg.segment_many(texts, batch_chars=batch_chars)) == reference
    # a generator of texts is consumed lazily, in order
    assert list(seg.segment_many(iter(texts), batch_chars=batch_chars)) == reference
