"""HTML views of a built graph (self-contained, offline) and their screenshots."""
