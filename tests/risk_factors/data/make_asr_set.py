"""Make an ASR version of one of our labelled sets: espeak-ng speaks each sentence, the real
whisper-base transcribes it, and the transcript replaces `text` (the original is kept in
`clean_text`), like ../shared/tagging-dev-asr.jsonl.

    FREDAG_HOME=/tmp/fh .venv/bin/python tests/risk_factors/data/make_asr_set.py \
        tests/risk_factors/data/tuning.jsonl tests/risk_factors/data/tuning-asr.jsonl
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from device.stages.transcribe import TranscribeOptions, Transcriber
from fredag.settings import get_settings
from models.registry import resolve
from tests.support.speech import read_wav, speak


def main(src: str, dst: str) -> int:
    model = resolve("whisper-base", get_settings().models_dir)
    transcriber = Transcriber(model, compute_type="int8")
    options = TranscribeOptions(language="sv")
    lines = Path(src).read_text(encoding="utf-8").splitlines()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, line in enumerate(lines):
            item = json.loads(line)
            wav = speak(item["text"], Path(tmp) / f"{i}.wav")
            audio, _rate = read_wav(wav)
            heard = transcriber.transcribe(audio, options).text.strip()
            out.append({**item, "text": heard, "clean_text": item["text"]})
            print(f"{i + 1}/{len(lines)} {heard}", file=sys.stderr)
    Path(dst).write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in out), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
