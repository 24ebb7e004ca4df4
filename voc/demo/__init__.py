"""A demo corpus of synthetic Chinese customer feedback, written by this project.

Weekly file drops of shop reviews (CSV), NPS survey comments (CSV, Chinese headers) and microblog
posts (JSONL) across retail, e-commerce, dining and telecom, with planted pain points whose weekly
volumes spike, grow, decline or stay flat, realistic noise and a few rows broken on purpose. The
manifest (``manifest.json``) is the answer key. See ``docs/demo.md``.

>>> from voc.demo import generate_demo                                  # doctest: +SKIP
>>> manifest = generate_demo(Path("demo/data"))                         # doctest: +SKIP
"""

from voc.demo.generate import generate_demo
from voc.demo.manifest import BadRow, DemoFile, DemoManifest, PlantedPainPoint

__all__ = ["BadRow", "DemoFile", "DemoManifest", "PlantedPainPoint", "generate_demo"]
