"""Lists as spreadsheets: incidents, referrals and sanction decisions streamed as CSV or XLSX, as on screen."""
