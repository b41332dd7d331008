"""Driving the greeting pages as a browser would, and reading what they show."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

HTMX = {"HX-Request": "true"}


def greeting_named(sandbox, name: str) -> dict:
    return next(g for g in sandbox.state.greetings.values() if g["name"] == name)


def audio_file(content: bytes, name: str = "returns.wav", content_type: str = "audio/wav"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def detail_url(greeting_id) -> str:
    return reverse("greetings:detail", args=[greeting_id])


def writes(sandbox) -> list:
    return [r for r in sandbox.requests if r.method != "GET"]


def greeting_writes(sandbox) -> list:
    return [r for r in writes(sandbox) if "/greetings" in r.path]
