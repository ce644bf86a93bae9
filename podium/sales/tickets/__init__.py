"""Signed tickets: house signing keys, QR payloads, PDF tickets, calendar files, mail."""
