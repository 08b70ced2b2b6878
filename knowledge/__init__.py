"""Sample contract conditions and their retrieval."""

import crca  # noqa: F401  (offline environment defaults)
