"""Text stage: sentences with offsets, and the actors a document names."""
