"""The greeter plugin (hooks in plugin.py)."""
