"""Helpers shared by the tests: synthesized speech, running the CLI, WER."""
