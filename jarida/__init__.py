"""Jarida (جريدة): an Arabic-first news publishing platform."""
