"""The one place where label names and their mappings from source datasets live."""

from __future__ import annotations

STANCE_LABELS: tuple[str, ...] = ("negative", "neutral", "positive")
EDITORIAL_LABELS: tuple[str, ...] = ("reporting", "editorial")
#: The stance convention every model follows unless asked for another: the article guidelines
#: (docs/annotation/guidelines.md; a participant of a bad event, or a speaker, is not thereby presented
#: negatively or positively). A model may also know others (``ModelConfig.conventions``).
DEFAULT_CONVENTION = "article"

#: NewsMTSC ``polarity`` values.
NEWSMTSC_POLARITY: dict[float, str] = {2.0: "negative", 4.0: "neutral", 6.0: "positive"}
#: CheckThat! subjectivity labels.
CHECKTHAT_LABELS: dict[str, str] = {"SUBJ": "editorial", "OBJ": "reporting"}
#: BABE ``label_bias`` (lexical bias by word choice). See ``stancekit.data.sources`` for the choice.
BABE_BIAS_LABELS: dict[str, str] = {"Biased": "editorial", "Non-biased": "reporting"}
#: BABE ``label_opinion``; "Somewhat factual but also opinionated" counts as editorial.
BABE_OPINION_LABELS: dict[str, str] = {
    "Entirely factual": "reporting",
    "Somewhat factual but also opinionated": "editorial",
    "Expresses writer\u2019s opinion": "editorial",
    "Expresses writer's opinion": "editorial",
}

STANCE_ALIASES: dict[str, str] = {
    "negative": "negative",
    "neg": "negative",
    "-1": "negative",
    "2.0": "negative",
    "2": "negative",
    "neutral": "neutral",
    "neu": "neutral",
    "0": "neutral",
    "4.0": "neutral",
    "4": "neutral",
    "positive": "positive",
    "pos": "positive",
    "1": "positive",
    "6.0": "positive",
    "6": "positive",
}
EDITORIAL_ALIASES: dict[str, str] = {
    "editorial": "editorial",
    "subj": "editorial",
    "subjective": "editorial",
    "biased": "editorial",
    "reporting": "reporting",
    "obj": "reporting",
    "objective": "reporting",
    "non-biased": "reporting",
}


def normalize_stance_label(value: object) -> str | None:
    """Map a stance label in any accepted spelling (or NewsMTSC polarity) to ours; None if unknown."""
    if isinstance(value, float) and value in NEWSMTSC_POLARITY:
        return NEWSMTSC_POLARITY[value]
    return STANCE_ALIASES.get(str(value).strip().lower())


def normalize_editorial_label(value: object) -> str | None:
    """Map an editorial label in any accepted spelling (SUBJ/OBJ, ...) to ours; None if unknown."""
    return EDITORIAL_ALIASES.get(str(value).strip().lower())
