"""Administration pages (/admin): users, agencies, the calendar, deadline rules, dead letters and API tokens."""
