"""The versioned, evidence-based factor catalogue and the Swedish tagger that shows its evidence."""
