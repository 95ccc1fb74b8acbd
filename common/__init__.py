"""The floor every app may import: nothing here knows a domain app."""
