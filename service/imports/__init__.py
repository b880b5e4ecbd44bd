"""Import of past spreadsheets of incidents: upload, column mapping, dry run, all-or-nothing commit."""
