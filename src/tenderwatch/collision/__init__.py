"""碰撞比对 collision comparison: cross-match any two datasets of the catalogue on a key."""
