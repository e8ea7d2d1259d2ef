"""A typed place on the Flask app for one edge's dependency object: set once when the app is built (app.py),
read by that edge's views and commands. One per edge, so each sees exactly its own collaborators."""
from __future__ import annotations

from typing import Generic, TypeVar

from flask import Flask, current_app

T = TypeVar("T")


class ExtensionSlot(Generic[T]):
    def __init__(self, name: str):
        self.name = name

    def install(self, app: Flask, dependencies: T) -> None:
        app.extensions[self.name] = dependencies

    def __call__(self) -> T:
        """The running app's (resolved once, when it was built)."""
        found: T = current_app.extensions[self.name]
        return found
