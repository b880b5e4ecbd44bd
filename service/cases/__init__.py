"""One case counted once: external reference numbers, likely-duplicate flags and linking incidents as one case."""
