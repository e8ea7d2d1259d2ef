"""YAML loaders for the flow files: the words yes/no/y/n stay words, and mappings can carry their line."""
from __future__ import annotations

import yaml

try:  # libyaml's parser where PyYAML was built with it (its wheels are): the same safe constructor and
    # resolver, about five times faster at reading the flow files each process loads at start
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover (a PyYAML built without libyaml)
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class WordsLoader(_SafeLoader):
    """A SafeLoader where yes, no, y and n are strings (in a flow they are answers, not booleans)."""


# A copy: assigning into the inherited dict would change every SafeLoader in the process.
WordsLoader.yaml_implicit_resolvers = {k: list(v) for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
for _first in "yYnN":
    WordsLoader.yaml_implicit_resolvers[_first] = [
        (tag, rx) for tag, rx in WordsLoader.yaml_implicit_resolvers.get(_first, [])
        if tag != "tag:yaml.org,2002:bool"
    ]


class LineLoader(WordsLoader):
    """A WordsLoader that also keeps the line of every mapping under the key '__line__'."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping
