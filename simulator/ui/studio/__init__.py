"""The trainer studio: author, check, playtest and tune scenarios, and review attempts."""
