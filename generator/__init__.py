"""opsdocs: operations documentation for consultancies, generated from YAML."""

import time

__version__ = "0.1.0"
STARTED = time.perf_counter()  # when opsdocs began to load: `build --timings` counts from here
