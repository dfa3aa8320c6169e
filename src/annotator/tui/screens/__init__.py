"""Modal screens: help, guidelines, skipped files, search and prompts."""
