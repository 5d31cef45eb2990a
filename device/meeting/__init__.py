"""Meeting: the live loop. `controller` (start/pause/resume/stop/mark and the event stream),
`committer` (what happens to a commit), `compose` (the post-decode stages), `recording`
(`open_meeting` and the `fredag record` / `fredag sessions` flows)."""
