"""Where the meeting's post-decode stages are composed.

A stage is one module in `device/stages/` whose callable takes a `Commit` (its segments and
the utterances with their audio) and returns it, possibly annotated; see
`device.stages.commit.Stage` and DEVELOPERS.md. To add one, build it here: one line.
"""

from __future__ import annotations

from device.stages.commit import Stage
from fredag.settings import DeviceSettings


def post_decode_stages(settings: DeviceSettings) -> tuple[Stage, ...]:
    """The stages each committed utterance goes through before it is journaled, in order."""
    return ()
