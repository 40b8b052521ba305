"""The lifecycle from warning to verdict (核查处置): routing, deadlines, checklist, conclusion, review."""
