"""The province-wide list of sanction decisions (API, page, export filters); recording them is in service/incidents."""
