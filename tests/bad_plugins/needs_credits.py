"""A plugin that requires the credits plugin."""

REQUIRES = ("credits",)
