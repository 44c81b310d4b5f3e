"""Transports: where updates come from and actions go. `console` is the embedded default;
`telegram` (kurigram) runs when a bot token is configured."""
