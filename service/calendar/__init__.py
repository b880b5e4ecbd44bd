"""Working days: the public-holiday table and versioned deadline rules."""
