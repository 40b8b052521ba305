"""The per-section analysis view (标段分析): one section's bids, screens, fingerprints, personnel,
expert scores, bidder graph and warnings on one page."""
