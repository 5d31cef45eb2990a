"""Stages: what happens to audio after capture. Speech detection (`vad`), the Whisper engine
(`transcribe`), live decoding (`streaming`) and factor tagging (`tagging`)."""
