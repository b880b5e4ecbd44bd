"""Photos and PDFs of an incident: content checks, content-addressed storage, upload and download."""
