"""Capture: audio in. Microphone and file sources (`sources`), file decoding (`audio`)."""
