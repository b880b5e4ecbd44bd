"""The national record of administrative violations (Decree 20/2016/NĐ-CP, Art. 9): sanction decisions as XLSX and
JSON for the agencies that decided them and the coordinators (docs/national-record.md)."""
