"""The device's keys: how long an unlock takes with the shipped Argon2id parameters, and what
a committed segment costs on the locked path (sealed to the public key) against the unlocked
one (the store's data key), plus the merge at unlock.

Each segment is the record a meeting writes (`SessionLog.segment`, about 120 characters of
text), appended and fsynced through the real store on disk. Reported: medians (and p95) over
repeated runs; the machine is shared, so the ratio locked/unlocked says more than the times.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

NAME = "keys"
UNLOCKS = int(os.environ.get("FREDAG_BENCH_UNLOCKS", "7"))
SEGMENTS = int(os.environ.get("FREDAG_BENCH_KEY_SEGMENTS", "200"))
PASSPHRASE = "bänkens lösenfras 2026"  # noqa: S105 (a throw-away device's passphrase)
TEXT = (
    "Han har svårt att sova och är trött på morgonen, säger mamma, "
    "och i skolan har det gått sämre den senaste tiden."
)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _segment_times(log: Any, n: int, first: int) -> list[float]:
    from fredag.protocol import Segment

    times = []
    for i in range(first, first + n):
        seg = Segment(start=4.0 * i, end=4.0 * i + 3.5, text=TEXT)
        start = time.perf_counter()
        log.segment(seg)
        times.append(time.perf_counter() - start)
    return times


def run() -> dict[str, Any]:
    os.environ.pop("FREDAG_KDF_PROFILE", None)  # the shipped parameters, not the tests' ones
    from device.journal.session import SessionLog
    from device.journal.store import Cipher, Store
    from device.keys.kdf import DEFAULT, derive_kek
    from device.keys.sealed import SealingCipher
    from device.keys.vault import vault_for
    from tests.device.conftest import make_meta

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        vault = vault_for(home)
        start = time.perf_counter()
        vault.init(PASSPHRASE)
        init_s = time.perf_counter() - start
        unlock, kdf_only = [], []
        for _ in range(UNLOCKS):
            vault.lock()
            start = time.perf_counter()
            vault.unlock(PASSPHRASE)
            unlock.append(time.perf_counter() - start)
            start = time.perf_counter()
            derive_kek(PASSPHRASE, b"0" * 16, DEFAULT)
            kdf_only.append(time.perf_counter() - start)

        store = Store(home, passphrase=PASSPHRASE)
        log = SessionLog.create(store, make_meta())
        unlocked = _segment_times(log, SEGMENTS, 0)
        vault.lock()
        locked = _segment_times(log, SEGMENTS, SEGMENTS)
        start = time.perf_counter()
        report = vault.unlock(PASSPHRASE)
        merge_s = time.perf_counter() - start - statistics.median(unlock)

        cipher, sealer = Cipher(os.urandom(32)), SealingCipher(vault.material().sealing_public())
        payload = TEXT.encode() * 2
        crypto = {}
        for name, fn in (("aes", cipher.seal), ("sealed", sealer.seal)):
            samples = []
            for _ in range(SEGMENTS):
                start = time.perf_counter()
                fn(payload, b"aad")
                samples.append(time.perf_counter() - start)
            crypto[name] = statistics.median(samples)
    return {
        "load_average_1min": os.getloadavg()[0],
        "kdf": DEFAULT.to_json(),
        "init_s": init_s,
        "unlock_median_s": statistics.median(unlock),
        "unlock_max_s": max(unlock),
        "kdf_median_s": statistics.median(kdf_only),
        "unlocks": UNLOCKS,
        "segments": SEGMENTS,
        "unlocked_segment_median_ms": 1000 * statistics.median(unlocked),
        "unlocked_segment_p95_ms": 1000 * _p95(unlocked),
        "locked_segment_median_ms": 1000 * statistics.median(locked),
        "locked_segment_p95_ms": 1000 * _p95(locked),
        "merged": report.merged,
        "merge_per_record_ms": 1000 * max(merge_s, 0.0) / max(report.merged, 1),
        "seal_aes_median_us": 1e6 * crypto["aes"],
        "seal_x25519_median_us": 1e6 * crypto["sealed"],
    }


def markdown(result: dict[str, Any]) -> str:
    r = result
    kdf = r["kdf"]
    ratio = r["locked_segment_median_ms"] / r["unlocked_segment_median_ms"]
    rows = [
        (
            "unlock (`Vault.unlock`: Argon2id, unwrap, checks)",
            f"{r['unlock_median_s']:.3f} s",
            f"max {r['unlock_max_s']:.3f} s",
        ),
        ("Argon2id alone", f"{r['kdf_median_s']:.3f} s", ""),
        ("first set-up (`Vault.init`)", f"{r['init_s']:.3f} s", "one run"),
        (
            "committed segment, unlocked (AES-GCM, fsync)",
            f"{r['unlocked_segment_median_ms']:.2f} ms",
            f"p95 {r['unlocked_segment_p95_ms']:.2f} ms",
        ),
        (
            "committed segment, locked (X25519, HKDF, AES-GCM, fsync)",
            f"{r['locked_segment_median_ms']:.2f} ms",
            f"p95 {r['locked_segment_p95_ms']:.2f} ms; {ratio:.2f}× unlocked",
        ),
        (
            "sealing one record, crypto only",
            f"{r['seal_x25519_median_us']:.0f} µs",
            f"AES-GCM alone {r['seal_aes_median_us']:.0f} µs",
        ),
        (
            "merge at unlock, per sealed record",
            f"{r['merge_per_record_ms']:.2f} ms",
            f"{r['merged']} records (that unlock minus the median unlock)",
        ),
    ]
    table = "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    return (
        "## Device keys: unlock and the locked path (`python -m bench keys`)\n\n"
        f"Argon2id with the shipped parameters ({kdf['memory_kib'] // 1024} MiB, "
        f"{kdf['iterations']} passes, {kdf['lanes']} lanes). Medians of {r['unlocks']} unlocks "
        f"and of {r['segments']} committed segments each way, written and fsynced through the "
        "real store in a temporary directory. Shared machine (about 8 engineers on 2 cores; "
        f"1-minute load average {r['load_average_1min']:.1f} at the end of the run): read the "
        "ratios more than the absolute times.\n\n"
        "| measure | median | other |\n| --- | --- | --- |\n"
        f"{table}\n\n"
        "The fsync dominates both paths; the locked path adds one X25519 key agreement per "
        "record. A meeting commits a segment every few seconds, so neither is noticeable."
    )
