"""Packaging: the wheel and the sdist carry mermaid's browser build and its licence.

They come from the npm package that package.json pins (`npm ci` puts it in
node_modules/), so `pip install opsdocs` draws diagrams offline with no Node.js.
The sdist keeps them at their node_modules/ path, so a wheel built from the
sdist finds them there too. An editable install reads the checkout's
node_modules/ instead, and needs nothing here.
"""

from __future__ import annotations

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
            raise RuntimeError(f"{', '.join(missing)} missing: run 'npm ci' first (package.json pins mermaid, which "
                               "the package carries so that diagrams draw without Node.js)")
        for path in MERMAID:
            inside = f"generator/vendor/mermaid/{Path(path).name}" if self.target_name == "wheel" else path
            build_data["force_include"][str(root / path)] = inside
