"""The API contract: msgspec Structs only, strict by default."""
