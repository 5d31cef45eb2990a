"""The sync client: the handheld's side of talking to the server (docs/sync.md).

enrollment.py  the pinned server (URL, server public key, CA file), kept in the encrypted store
transport.py   `ServerApi`: httpx with an injectable transport; httpx errors → `SyncError`s
outbox.py      the persistent outbox: a journal in the encrypted store of what is queued/sent
index.py       the index of signed drafts per session, so sync and status decrypt no session twice
catalogue.py   downloading, verifying and keeping the server-signed factor catalogue
client.py      `run_sync`: upload every queued draft with backoff, pull the catalogue, clean up
status.py      `fredag status`: what is queued, what was sent when, the last error in words
cli.py         `fredag sync`, `fredag status`, `fredag device enroll`
"""
