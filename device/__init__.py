"""The handheld: capture, streaming transcription, sessions, encrypted store, signing, sync.

Never imports `server`; installs without FastAPI (`pip install fredag[device]`).
"""
