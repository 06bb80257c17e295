"""Segmentation ahead of the encoder gives the same results as segmenting in the caller."""

import pytest

from stancekit.errors import InputError
from stancekit.text.prefetch import SegmentAhead, blocks_of
from stancekit.text.segmentation import Segmenter

TEXTS = [
    "Senator Smith praised Governor Jones on Monday. Critics called the plan a disaster.",
    "",
    "Russia and Ukraine met in Istanbul. Moscow said the talks failed.\n\nA new paragraph here.",
    "The council voted 7 to 2. Brown was hailed as a hero.",
] * 6


def test_blocks_keep_every_text_in_order():
    blocks = blocks_of(TEXTS, 150)
    assert [t for b in blocks for t in b] == TEXTS
    assert all(b for b in blocks) and len(blocks) > 3


@pytest.fixture(scope="module")
def seg():
    return Segmenter()


@pytest.mark.parametrize("mode", ["thread", "process", "off"])
def test_segment_ahead_equals_segmenting_in_the_caller(seg, mode):
    ahead = SegmentAhead(seg, mode, block_chars=150)
    try:
        out = list(ahead.blocks(TEXTS))
    finally:
        ahead.close()
    assert [t for block, _ in out for t in block] == TEXTS
    assert [s for _, segs in out for s in segs] == list(seg.segment_many(TEXTS))
    if mode != "off":
        assert len(out) > 3


def test_bad_mode_and_a_loaded_pipeline_in_a_process_are_refused(seg):
    with pytest.raises(InputError, match="segment_ahead"):
        SegmentAhead(seg, "fork")
    with pytest.raises(InputError, match="by name"):
        SegmentAhead(Segmenter(seg.nlp), "process")


def test_analyzer_results_do_not_depend_on_segment_ahead(tiny_model_path):
    import stancekit
    from stancekit.text.prefetch import BLOCK_CHARS

    texts = [(t + " ") * 80 for t in TEXTS]
    assert sum(map(len, texts)) > 2 * BLOCK_CHARS  # large enough for the worker to be used
    ahead = stancekit.load(str(tiny_model_path), segment_ahead="thread").analyze_many(texts)
    here = stancekit.load(str(tiny_model_path), segment_ahead="off").analyze_many(texts)
    assert len(ahead) == len(here) == len(texts)
    for a, b in zip(ahead, here, strict=True):
        assert [s.text for s in a.sentences] == [s.text for s in b.sentences]
        for sa, sb in zip(a.sentences, b.sentences, strict=True):
            assert abs(sa.editorial_score - sb.editorial_score) < 1e-4
            assert [x.label for x in sa.stances] == [y.label for y in sb.stances]
            assert [x.actor for x in sa.stances] == [y.actor for y in sb.stances]
