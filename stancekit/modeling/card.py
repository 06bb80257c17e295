"""Moved to :mod:`stancekit.evaluation.card` (reporting); this name stays for existing imports."""

from stancekit.evaluation.card import render_card, write_card

__all__ = ["render_card", "write_card"]
