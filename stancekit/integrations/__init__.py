"""Adapters to other NLP toolkits (spaCy)."""
