"""Warnings (预警): hits of several models merged per section and subject, graded red/orange/yellow."""
