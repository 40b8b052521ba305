"""File import: read, validate, quarantine, and land accepted records in the lake as one batch."""
