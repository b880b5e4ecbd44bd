"""Lists as spreadsheets: incidents and referrals streamed as CSV or XLSX, filtered and scoped as on screen."""
