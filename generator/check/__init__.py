"""Checking a contract folder: its files, their schemas, the source document and its transcription."""
