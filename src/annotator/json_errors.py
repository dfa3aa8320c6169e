"""Readable reasons for :class:`json.JSONDecodeError`, for one-line error messages."""

from __future__ import annotations

import json


def reason(exc: json.JSONDecodeError) -> str:
    """``exc.msg`` without a dangling "at": the standard library's message for a control
    character is "Invalid control character at", so "… at line 3" would read "at at"."""
    return exc.msg.removesuffix(" at")
