"""Reading YAML: safely (plain values only) and fast (libyaml's C parser, which PyYAML's wheels
carry; the pure-Python parser when it is missing), keeping where each node stands in the text.

>>> load_yaml("name: Hội Luật gia Việt Nam")
{'name': 'Hội Luật gia Việt Nam'}
>>> data, root = load_yaml_with_nodes("entities:\\n  - id: a\\n  - id: b\\n")
>>> data["entities"][1], root.value[0][1].value[1].start_mark.line + 1
({'id': 'b'}, 3)
"""

from __future__ import annotations

from typing import Any

import yaml

SAFE_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """The plain values of one YAML document (``yaml.safe_load``, with the C parser)."""
    return yaml.load(text, Loader=SAFE_LOADER)


def load_yaml_with_nodes(text: str) -> tuple[Any, yaml.Node | None]:
    """The plain values and the document's root node (with each node's line), parsed once."""
    loader = SAFE_LOADER(text)
    try:
        root = loader.get_single_node()
        return (loader.construct_document(root) if root is not None else None), root
    finally:
        loader.dispose()
