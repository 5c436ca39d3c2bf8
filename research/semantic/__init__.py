"""The text model behind similar insights, duplicates and themes: a small embedding model
shipped inside its PyPI package (wordllama), run on the CPU, never downloading anything."""
