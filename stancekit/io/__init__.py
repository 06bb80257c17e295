"""Reading records from files: one set of encoding, BOM, line-number and CSV rules for every caller."""
