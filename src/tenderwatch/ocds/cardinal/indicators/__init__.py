"""OCDS Cardinal's red-flag indicators (`tenderwatch ocds indicators`), one module per indicator.

Flow: `reading` splits the input into byte chunks; each chunk is folded (in worker processes) by
`fold`, which asks every enabled indicator for the few facts it needs from each release; `merge`
combines the chunk partials in input order; `finalize` computes quartiles and fences; `output`
writes Cardinal's JSON byte for byte (or CSV/Parquet, our addition).
"""
