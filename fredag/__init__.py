"""Fredag: the shared core that the handheld (`device`) and the server (`server`) both import.

Only small, dependency-light modules live here: the error hierarchy, settings, and the draft
and signed-envelope protocol. Nothing in this package imports `device` or `server`.
"""

__version__ = "0.1.0"
