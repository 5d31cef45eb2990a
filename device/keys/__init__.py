"""The device's keys: wrapped under the caseworker's passphrase, unlocked once per working
session, dropped on lock (docs/device.md, "Keys and locking").

The API the CLI and the touch UI share is `device.keys.vault.Vault` (`vault_for(home)`):
`init`, `unlock(passphrase)`, `lock()`, `is_unlocked`, `change_passphrase`.
"""
