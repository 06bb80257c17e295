"""Token-level explanations: which words pushed a sentence's editorial flag and each stance label.

:func:`explain_documents` fills ``Sentence.editorial_attributions`` and ``ActorStance.attributions``
of analysed documents (``Analyzer.explain`` calls it).
"""

from stancekit.explain.attribution import METHODS, explain_documents, top_words, word_weights

__all__ = ["METHODS", "explain_documents", "top_words", "word_weights"]
