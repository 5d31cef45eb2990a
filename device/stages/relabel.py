"""The caseworker's correction of who said a line, made during the meeting with a tap (touch
screen) or a key (terminal): the labels to choose from, and the speaker a correction gives.

A correction is the caseworker's decision, not the tracker's estimate: the segment's speaker
becomes ``{role, label, confidence: 1.0, uncertain: false}`` (role ``caseworker`` for
``handläggare``, else ``other``). The draft's schema has no separate "corrected" flag
(fredag.draft/2 is unchanged); the session journal keeps each correction as its own record
(`device.journal.session`), so a crash does not lose it.

The device's own revision of a label (`revised_speaker`): when the speaker tracker recognises
a voice only later (a second client's first lines were taken for the first client's), it
relabels those lines once (`device.voice.attribution.SpeakerTracker.revisions`); such a
speaker is marked ``revised`` (fredag.protocol.Speaker), shown marked on the screens and in
the draft, journaled like a correction but as the device's (``"by": "device"``).

Only a label changes: the utterance's audio was dropped at commit and no voice is looked at,
so a correction never feeds anyone's voice into anything, kept or not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from device.voice.attribution import CASEWORKER_LABEL, person_label
from fredag.protocol import Segment, Speaker

PERSON = re.compile(r"^person (\d+)$")
CORRECTED_CONFIDENCE = 1.0


def person_numbers(segments: Sequence[Segment]) -> list[int]:
    """The numbers of the persons labelled so far (`person 2` → 2), ascending."""
    found = set()
    for segment in segments:
        if segment.speaker is not None and (m := PERSON.match(segment.speaker.label)):
            found.add(int(m.group(1)))
    return sorted(found)


def speaker_choices(segments: Sequence[Segment], index: int) -> list[str]:
    """What line `index` can be corrected to: `handläggare`, each person heard on the other
    lines, and a new person (the next number), in that order. The line's own label is left
    out of the count, so a line that alone holds `person 3` offers `person 3` as the new one
    rather than a `person 4`."""
    others = [s for i, s in enumerate(segments) if i != index]
    numbers = person_numbers(others)
    new = (numbers[-1] if numbers else 0) + 1
    return [CASEWORKER_LABEL, *(person_label(n) for n in numbers), person_label(new)]


def corrected_speaker(label: str) -> Speaker:
    """The speaker of a line the caseworker has corrected to `label`."""
    role = "caseworker" if label == CASEWORKER_LABEL else "other"
    return Speaker(role=role, label=label, confidence=CORRECTED_CONFIDENCE, uncertain=False)


def revised_speaker(role: str, label: str, confidence: float) -> Speaker:
    """The speaker of a line the device relabelled with hindsight (marked `revised`)."""
    who = "caseworker" if role == "caseworker" else "other"
    return Speaker(role=who, label=label, confidence=confidence, uncertain=False, revised=True)


def next_choice(segments: Sequence[Segment], index: int) -> str:
    """The label after line `index`'s among its choices, wrapping round (the terminal's key
    cycles through them: handläggare, person 1, …, a new person, handläggare, …)."""
    choices = speaker_choices(segments, index)
    speaker = segments[index].speaker
    current = speaker.label if speaker is not None else None
    if current not in choices:
        return choices[0]
    return choices[(choices.index(current) + 1) % len(choices)]
