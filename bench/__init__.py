"""`make bench`: speed, memory and accuracy measurements, recorded in docs/benchmarks.md.

Each area has a module here with `NAME`, `run() -> dict` and `markdown(result) -> str`.
`python -m bench [AREA ...]` runs them (all by default), prints each result as JSON, and
replaces that area's section of docs/benchmarks.md (between `<!-- bench:AREA -->` markers),
so results from one area never overwrite another's.
"""
