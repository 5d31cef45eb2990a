"""Views: what the caseworker sees and does during a meeting. `events` (the event stream any
number of views subscribe to), `terminal` (Rich view, plain lines), `keys` (terminal input)."""
