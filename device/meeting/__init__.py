"""Meeting: the live loop that wires capture → stages → journal → views (`recorder`) and the
`fredag record` / `fredag sessions` flows around it (`recording`)."""
