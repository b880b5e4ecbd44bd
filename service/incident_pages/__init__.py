"""The incident pages: the inspector's record form and "my incidents", the incident list, and one incident with
everything that hangs on it (sanctions, attachments, referrals, likely duplicates, history).

Above the features it shows (incidents, attachments, sanctions, cases, referrals), so none of them imports a page."""
