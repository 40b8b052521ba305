"""OCDS exchange: release/record packages in, compiled releases (with bids) out."""
