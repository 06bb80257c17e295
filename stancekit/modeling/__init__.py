"""Model stage: base encoders, the two-head network, inputs with target markers, checkpoints."""
