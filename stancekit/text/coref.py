"""Placeholder, replaced below."""


def resolve_references(text, sentences, mentions, actors):
    return mentions
