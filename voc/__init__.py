"""voc: Voice-of-Customer text mining for Chinese feedback.

The library behind the ``voc`` command and the Prefect flows in ``pipelines/``; see
docs/ARCHITECTURE.md for the data flow. It never imports Prefect.
"""

__version__ = "0.1.0"
