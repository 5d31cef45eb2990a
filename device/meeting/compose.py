"""Where the meeting's post-decode stages are composed.

A stage is one module in `device/stages/` whose callable takes a `Commit` (its segments and
the utterances with their audio) and returns it, possibly annotated; see
`device.stages.commit.Stage` and DEVELOPERS.md. To add one, build it here from the
`StageContext`: one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from device.journal.session import SessionMeta
from device.journal.store import Store
from device.stages.commit import Stage
from fredag.settings import DeviceSettings


@dataclass(frozen=True)
class StageContext:
    """What a stage may need to set itself up for one meeting."""

    settings: DeviceSettings
    store: Store  # e.g. an enrolment kept encrypted on the device
    meta: SessionMeta


def post_decode_stages(ctx: StageContext) -> tuple[Stage, ...]:
    """The stages each committed utterance goes through before it is journaled, in order."""
    from device.stages.speakers import SpeakerStage, open_tracker

    # Who said it: the caseworker's enrolment from the device store; other voices RAM only.
    return (SpeakerStage(open_tracker(ctx.store)),)
