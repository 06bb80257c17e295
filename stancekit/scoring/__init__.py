"""Scoring stage: corpora in, Parquet/JSONL tables out; streaming, resumable, bad records logged."""
