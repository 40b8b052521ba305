"""Verification guides (核查指引): one per detection model, as data in zh-CN and English."""
