"""Packaging: the wheel and the sdist carry mermaid's browser build and its licence.

They come from the npm package that package.json pins (`npm ci` puts it in
node_modules/), so `pip install opsdocs` draws diagrams offline with no Node.js.
The sdist keeps them at their node_modules/ path, so a wheel built from the
sdist finds them there too. An editable install reads the checkout's
node_modules/ instead, and needs nothing here.

A package built from a checkout without node_modules/ (pip install from git, a
pre-commit hook, which only checks) goes without them, saying so: `opsdocs
build` then stops, naming the missing script and how to add it. Set
OPSDOCS_REQUIRE_MERMAID=1 to make that a build error instead (releases do).
"""

from __future__ import annotations

import os
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MERMAID = ("node_modules/mermaid/dist/mermaid.min.js", "node_modules/mermaid/LICENSE")


class MermaidHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if version == "editable":
            return
        root = Path(self.root)
        missing = [path for path in MERMAID if not (root / path).is_file()]
        if missing:
            message = (f"{', '.join(missing)} missing: run 'npm ci' first (package.json pins mermaid, which the package "
                       "carries so that diagrams draw without Node.js)")
            if os.environ.get("OPSDOCS_REQUIRE_MERMAID") == "1":
                raise RuntimeError(message)
            self.app.display_warning(message + "; building without it")
            return
        for path in MERMAID:
            inside = f"generator/vendor/mermaid/{Path(path).name}" if self.target_name == "wheel" else path
            build_data["force_include"][str(root / path)] = inside
