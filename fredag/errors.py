"""Every error Fredag raises on purpose, in one hierarchy.

The CLI turns any `FredagError` into one plain line on stderr and its `exit_code`; anything
else is a bug and is reported as one. Third-party errors are mapped at the boundary where they
happen, with ``raise ... from exc``, so callers never have to know which library failed.

    FredagError
    ├── UsageError                  bad arguments or settings given by the user
    │   ├── ConsentRequired         recording without the client's confirmed consent
    │   └── SettingsInvalid         a FREDAG_* variable, settings-file value or flag not accepted
    ├── ModelError
    │   ├── ModelNotFound           no such model name or directory
    │   ├── ModelPackageMissing     a PyPI model package (or a part of it) is not installed
    │   ├── ModelCorrupt            a file fails its pinned or recorded sha256
    │   ├── ModelInvalid            a directory that is not a usable CTranslate2 Whisper model
    │   └── ModelExists             installing under a name that is taken, without --force
    ├── AudioError
    │   ├── AudioNotFound           the audio path does not exist
    │   ├── AudioUnreadable         not an audio file, or a format that cannot be decoded
    │   ├── AudioEmpty              a file with no samples in it
    │   └── NoSpeech                audio that holds no speech (silence, noise)
    ├── CatalogueError              a factor catalogue that fails validation
    ├── GuardError                  tool-authored text that proposes an intervention or assessment
    ├── CaptureError                microphone, PortAudio or input device problems
    ├── StoreError                  the device's encrypted store cannot be read or written
    │   ├── DeviceLocked            the device's keys are locked (or not set up): unlock first
    │   ├── WrongPassphrase         the passphrase does not unwrap the keys (counted, delayed)
    │   ├── UnlockDelayed           too many wrong passphrases: the next try must wait
    │   ├── KeysDamaged             the wrapped key file is damaged; nothing was changed
    │   └── KeyStoreMissing         the platform key store the keys are bound to is unavailable
    ├── SignatureError              a signature or key that does not verify
    ├── SyncError                   talking to the server failed
    │   ├── ServerUnreachable       no connection, a timeout or a dropped connection (retried)
    │   ├── ServerFailed            the server answered with a 5xx (retried)
    │   ├── Refused                 the server refused a request (4xx) and said why
    │   ├── NotEnrolled             this device is not enrolled with a server yet
    │   └── CatalogueRejected       a downloaded catalogue failed verification; the old one stays
    └── ExtraMissing                an optional part (an extra such as [convert]) is not installed
"""

from __future__ import annotations


class FredagError(Exception):
    """Base of every error Fredag raises on purpose; the message is for the user."""

    exit_code: int = 1


class UsageError(FredagError):
    exit_code = 2


class ConsentRequired(UsageError):
    pass


class SettingsInvalid(UsageError):
    """Settings that do not validate; the one line names the variable and what is accepted
    (built by `fredag.settings.load_settings` for device, sync and server settings alike)."""


class ModelError(FredagError):
    exit_code = 3


class ModelNotFound(ModelError):
    pass


class ModelPackageMissing(ModelError):
    pass


class ModelCorrupt(ModelError):
    pass


class ModelInvalid(ModelError):
    pass


class ModelExists(ModelError):
    pass


class AudioError(FredagError):
    exit_code = 4


class AudioNotFound(AudioError):
    pass


class AudioUnreadable(AudioError):
    pass


class AudioEmpty(AudioError):
    pass


class NoSpeech(AudioError):
    exit_code = 5


class CatalogueError(FredagError):
    """`problems`: each problem on its own, as (English, Swedish) pairs, when known (the
    admin page lists them one per line in the reader's language); the message is English."""

    exit_code = 6

    def __init__(self, message: str, problems: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems or ((message, message),)


class GuardError(FredagError):
    exit_code = 7


class CaptureError(FredagError):
    exit_code = 8


class StoreError(FredagError):
    exit_code = 9


class DeviceLocked(StoreError):
    exit_code = 13


class WrongPassphrase(StoreError):
    exit_code = 14


class UnlockDelayed(StoreError):
    exit_code = 14


class KeysDamaged(StoreError):
    pass


class KeyStoreMissing(StoreError):
    pass


class SignatureError(FredagError):
    exit_code = 10


class SyncError(FredagError):
    exit_code = 11


class ServerUnreachable(SyncError):
    pass


class ServerFailed(SyncError):
    pass


class Refused(SyncError):
    """A 4xx from the server: retrying the same request will not help."""

    def __init__(self, message: str, *, status: int = 400, code: str = "refused") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class NotEnrolled(SyncError):
    pass


class CatalogueRejected(SyncError):
    pass


class ExtraMissing(FredagError):
    exit_code = 12
