"""The server: sync API, review and approval web view, administration, audit.

Never imports `device`; needs the `[server]` extra.
"""
