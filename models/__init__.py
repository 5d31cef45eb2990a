"""Speech models on the device: the registry, assembly from PyPI packages, provenance.

Nothing here downloads anything. A model is either assembled from installed packages
(`whisper-base`), registered from a local CTranslate2 directory, or given by path.
"""
