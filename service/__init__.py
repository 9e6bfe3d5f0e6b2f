"""ponte: Portuguese to English, offline — detect, translate with Argos models, tag topics.

Layers, each importing only the ones below it: `web` (HTTP) and `cli` (command line) over the shared
`settings`, `problems`, `schemas`, `batch`, `engines` and `logs`, over the pure `core`.
"""

__version__ = "0.1.0"
