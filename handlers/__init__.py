"""Platform-neutral use cases: what happens on a comment, a command, a button, an appeal."""
