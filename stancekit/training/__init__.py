"""Training stage: one code path fine-tunes both heads (stance and editorial) jointly."""
