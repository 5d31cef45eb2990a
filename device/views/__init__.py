"""Views: what the caseworker sees during a meeting (`terminal`: Rich or plain lines)."""
