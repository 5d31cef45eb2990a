"""Journal: what is kept. The encrypted store (`store`), the session journal (`session`), the
draft (`draft`, `guard`) and the device key that signs it (`identity`, `signing`)."""
