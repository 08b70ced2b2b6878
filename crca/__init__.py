"""Shared infrastructure of the CRCA practice bot: settings, model backends, CLI, storage."""

import os

# Offline hygiene, set before any library that phones home is imported.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
