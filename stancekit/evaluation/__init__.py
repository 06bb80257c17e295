"""Evaluation: metrics, baselines and speed measurements shared by training, cards and benchmarks."""
